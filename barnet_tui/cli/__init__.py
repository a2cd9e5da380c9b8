"""The command line: one module per subcommand, each imported only when it is the one asked
for (``main`` dispatches). Nothing here imports Textual but ``explorer``, which starts it."""
