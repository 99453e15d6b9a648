from jiyue.cli import main

main()
