"""Pages of the leads app: leads, the manager's views and the vehicle catalogue."""
