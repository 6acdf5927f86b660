"""The sale screen: cart, search, product grid, quantities, discounts, parked sales."""
