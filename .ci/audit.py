"""CI: pip-audit over the installed environment (docs/reliability.md, "Dependency audit").

Fails when a known vulnerability affects an installed package. A package the vulnerability
service could not answer for is listed and, with PAZAR_CI_AUDIT_STRICT=1, fails the run too;
without it the run passes but says plainly how much went unaudited.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    run = subprocess.run(  # noqa: S603 - the environment's own pip-audit
        [BIN / "pip-audit", "--progress-spinner", "off", "--skip-editable", "--format", "json"],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stdout, run.stderr, sep="\n")
        return run.returncode or 1
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    skipped = [  # Pazar itself is installed editable: it is the code under test, not a dependency
        d for d in report["dependencies"] if "editable" not in d.get("skip_reason", "editable")
    ]
    vulnerable = [d for d in audited if d["vulns"]]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln["fix_versions"]) or "no fix yet"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})"
            )
    print(
        f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} vulnerable, "
        f"{len(skipped)} not audited"
    )
    if skipped:
        reasons = {d["skip_reason"].split(":")[0] for d in skipped}
        print(
            f"  not audited ({'; '.join(sorted(reasons))}): {', '.join(d['name'] for d in skipped)}"
        )
    if vulnerable:
        return 1
    if skipped and os.environ.get("PAZAR_CI_AUDIT_STRICT") == "1":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
