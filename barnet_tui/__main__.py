from barnet_tui.cli import main

raise SystemExit(main())
