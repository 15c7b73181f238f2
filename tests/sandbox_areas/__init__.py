"""Tests of the sandbox HAT's combinator, bundle, data-debit, file and SHE areas."""
