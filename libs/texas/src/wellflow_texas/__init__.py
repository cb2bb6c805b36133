"""Texas statutory numbers and rules WellFlow computes with, each in one place with its source.

``severance``: crude oil, condensate and natural gas production taxes and the regulatory fees (Texas Tax Code
chapters 201 and 202, Natural Resources Code 81.111/81.117). Services import these; nobody repeats a rate.
"""
