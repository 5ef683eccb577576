from shanxi_cli.cli import main

main()
