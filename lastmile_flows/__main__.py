from lastmile_flows.cli import main

main()
