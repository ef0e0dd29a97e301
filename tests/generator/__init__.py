"""A seeded generator of Word minutes in many secretariat styles, with their truth."""
