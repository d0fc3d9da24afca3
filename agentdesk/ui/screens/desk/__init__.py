"""The parts of the desk screen, one job each: the banner, the tabs and views,
what a view loads, KB suggestions, the wrap-up flow and the command dialogs.
`DeskScreen` (../desk_screen.py) composes them and routes messages."""
