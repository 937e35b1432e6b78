from pazar.cli import main

main()
