"""Signals the leads app sends for other apps to react to (the core's way: sent inside the
service's transaction, so a receiver's writes commit or roll back with it).

``order_ready_for_delivery(sender=Order, order=<Order>, user=<User or None>)``: an order was paid
in full and marked ready for delivery. The delivery app connects a receiver that opens the
vehicle handover; leads never imports delivery.
"""

from django.dispatch import Signal

order_ready_for_delivery = Signal()
