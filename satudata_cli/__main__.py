from satudata_cli.cli import run

run()
