"""Texas statutory numbers and rules WellFlow computes with, each in one place with its source.

``severance``: crude oil, condensate and natural gas production taxes and the regulatory fees (Texas Tax Code
chapters 201 and 202, Natural Resources Code 81.116/81.117, 34 TAC 3.732), shaped like the Comptroller's
reports. ``reliefs``: the severance tax reliefs as data (rates, exemptions and credits a grant with effective
months sets). ``form_pr``: the RRC's Form PR code tables, districts and identifier rules. ``calendar``: Texas
holidays, working days and the Form PR and tax due dates. Services import these; nobody repeats a rate.
"""
