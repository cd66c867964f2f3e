"""Pages of the real-estate site, one module per area; the rules are in ``realestate.services``."""
