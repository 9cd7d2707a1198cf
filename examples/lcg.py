"""The random factors of the example data generators (generate_*.py).

Numerical Recipes' linear congruential generator, written out so that the
data never depends on a library version: the same seed gives the same
numbers, and the same command the same bytes.
"""


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def uniform(self):
        """The next number in [0, 1)."""
        self.state = (1664525 * self.state + 1013904223) % 2**32
        return self.state / 2**32
