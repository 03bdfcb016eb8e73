"""Domain: the rules of relationship work, as pure functions of (data, today).

Nothing here reads the clock, prints, exits, opens a file or receives a Store: the CLI reads
documents through ``storage`` and passes them in; functions that change data change the
documents they are given. One definition per rule (see ``departments``, ``promises``).
"""
