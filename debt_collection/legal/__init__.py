"""Legal steps drafted for the creditor's signature: the enforcement request (tvfbl § 7-2 (f)),
the pre-suit notice and conciliation-board complaint for a disputed claim, the bankruptcy
notice (konkursloven § 63).

A draft's content is computed once and stored (as a letter's is), then laid out as a PDF
with an empty signature block. Nothing legal leaves Kredin unsigned: a member who may sign
confirms with the password (and the second factor, where the person has one), the final
PDF is rendered with the signature and its SHA-256 recorded; any later change voids it.
"""
