"""Pages of the delivery app (server-rendered; each calls one service)."""
