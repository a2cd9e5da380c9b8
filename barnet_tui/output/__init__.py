"""What leaves the program for people and files: the list formats (table, csv, json,
markdown), terminal painting and exports. Data text crosses this border only through
``barnet_tui.domain.literal_text``, so none of it acts on a terminal or a spreadsheet."""
