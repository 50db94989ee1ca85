from pagewire.cli import main

main()
