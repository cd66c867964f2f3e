def seed_sales(*, stdout):
    pass
