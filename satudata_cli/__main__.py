from satudata_cli.cli import main

main()
