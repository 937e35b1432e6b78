"""Product image and video files, served to anyone as a CDN would (public catalog content).

Only these two directories are served: batch files and anything else in the storage stay
behind their own signed links. Names carry the content hash, so a URL's content never changes.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe


@require_safe
def product_media_file(request, directory: str, name: str):
    path = f"{directory}/{name}"
    if any(part in {"", ".", ".."} for part in name.split("/")) or not default_storage.exists(path):
        raise Http404
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
