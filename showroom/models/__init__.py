from showroom.models.customers import Customer
from showroom.models.stores import Membership, Role, Store

__all__ = ["Customer", "Membership", "Role", "Store"]
