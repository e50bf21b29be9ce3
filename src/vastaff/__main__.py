from vastaff.cli import main

main()
