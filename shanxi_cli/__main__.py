from shanxi_cli import main

main()
