from autograder.grader.cli import main

raise SystemExit(main())
