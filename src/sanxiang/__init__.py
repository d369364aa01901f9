"""Sanxiang: the information system behind the three administrative-enforcement systems."""
