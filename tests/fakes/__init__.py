"""Stand-ins for everything with a side effect, for the tests only: the app
ships none of them."""
