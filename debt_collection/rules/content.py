"""What each kind of letter or filing must contain, as data.

`REQUIRED_CONTENT` is what the law (or, for filings, the enforcement officer's form)
asks for; `PRACTICE_CONTENT` is what good practice adds but no statute requires: a
letter template should carry it, a checker should not reject a letter without it.
"""

from __future__ import annotations

import enum

from .dates import Lang


class LetterType(enum.StrEnum):
    FRIENDLY_REMINDER = "friendly_reminder"
    REMINDER = "reminder"
    COLLECTION_NOTICE = "collection_notice"
    PAYMENT_DEMAND = "payment_demand"  # betalingsoppfordring combined with the tvfbl § 4-18 notice
    ENFORCEMENT_NOTICE = "enforcement_notice"  # a § 4-18 notice on its own
    BANKRUPTCY_WARNING = "bankruptcy_warning"
    PRE_SUIT_NOTICE = "pre_suit_notice"
    DEMAND_LETTER = "demand_letter"  # new Act: 'gebyrbelagt kravbrev'
    ENFORCEMENT_REQUEST = "enforcement_request"
    CONCILIATION_COMPLAINT = "conciliation_complaint"
    BANKRUPTCY_NOTICE = "bankruptcy_notice"
    BANKRUPTCY_PETITION = "bankruptcy_petition"
    REMAINDER_NOTE = "remainder_note"  # restnota, after a part-payment
    INTEREST_NOTE = "interest_note"  # rentenota, after a late payment of the principal


class ContentElement(enum.StrEnum):
    CREDITOR_NAME = "creditor_name"
    CLAIM_DESCRIPTION = "claim_description"
    AMOUNT = "amount"
    AMOUNTS_ITEMISED = "amounts_itemised"
    INTEREST_RATE_AND_START = "interest_rate_and_start"
    PAYMENT_DEADLINE = "payment_deadline"
    COLLECTION_WILL_START = "collection_will_start"
    COSTS_AND_ENFORCEMENT_WARNING = "costs_and_enforcement_warning"
    PAY_OR_OBJECT = "pay_or_object"
    ENFORCEMENT_WARNING = "enforcement_warning"
    CLAIM_BASIS_AND_EXTENT = "claim_basis_and_extent"
    LAWSUIT_WARNING = "lawsuit_warning"
    ASKS_DEBTOR_POSITION = "asks_debtor_position"
    BANKRUPTCY_WARNING = "bankruptcy_warning"
    PARTIES_AND_ADDRESSES = "parties_and_addresses"
    DEBTOR_IDENTIFIER = "debtor_identifier"
    ENFORCEMENT_BASIS_DESCRIPTION = "enforcement_basis_description"
    COPIES_OF_BASIS_AND_NOTICE = "copies_of_basis_and_notice"
    CONCILIATION_IF_OBJECTED = "conciliation_if_objected"
    AGENCY_HANDOFF_NOTICE = "agency_handoff_notice"
    PAYMENTS_RECEIVED = "payments_received"


CONTENT_LABELS: dict[ContentElement, tuple[str, str]] = {
    ContentElement.CREDITOR_NAME: ("Kreditors navn", "The creditor's name"),
    ContentElement.CLAIM_DESCRIPTION: (
        "Hva kravet gjelder (f.eks. fakturanummer)",
        "What the claim concerns (an invoice number is enough)",
    ),
    ContentElement.AMOUNT: ("Beløpet som kreves", "The amount claimed"),
    ContentElement.AMOUNTS_ITEMISED: (
        "Hovedstol og tilleggskrav hver for seg",
        "Principal and additional claims shown separately",
    ),
    ContentElement.INTEREST_RATE_AND_START: (
        "Rentesatsen og datoen renten løper fra",
        "The interest rate and the date interest runs from",
    ),
    ContentElement.PAYMENT_DEADLINE: ("Betalingsfrist", "A payment deadline"),
    ContentElement.COLLECTION_WILL_START: (
        "Tydelig at inkasso vil bli satt i gang (overskrift «Inkassovarsel»)",
        "A clear statement that collection will start (heading 'Inkassovarsel')",
    ),
    ContentElement.COSTS_AND_ENFORCEMENT_WARNING: (
        "At manglende betaling kan gi mer kostnader og rettslig inndriving",
        "That not paying can bring further costs and legal enforcement",
    ),
    ContentElement.PAY_OR_OBJECT: (
        "Oppfordring om å betale eller komme med innsigelser innen fristen",
        "A request to pay or object within the deadline",
    ),
    ContentElement.ENFORCEMENT_WARNING: (
        "At tvangsfullbyrdelse vil bli begjært hvis kravet ikke betales",
        "That enforcement will be requested if the claim is not paid",
    ),
    ContentElement.CLAIM_BASIS_AND_EXTENT: (
        "Kravets grunnlag og omfang",
        "The basis and the extent of the claim",
    ),
    ContentElement.LAWSUIT_WARNING: (
        "At søksmål eller forliksklage kan følge",
        "That a lawsuit or a conciliation-board complaint may follow",
    ),
    ContentElement.ASKS_DEBTOR_POSITION: (
        "Oppfordring til skyldneren om å si om kravet godtas",
        "An invitation to the debtor to say whether it accepts the claim",
    ),
    ContentElement.BANKRUPTCY_WARNING: (
        "At kreditor kan gå videre med konkurs",
        "That the creditor may go on to bankruptcy proceedings",
    ),
    ContentElement.PARTIES_AND_ADDRESSES: ("Partenes navn og adresser", "Names and addresses"),
    ContentElement.DEBTOR_IDENTIFIER: (
        "Skyldnerens organisasjonsnummer eller fødselsdato",
        "The debtor's organisation number or date of birth",
    ),
    ContentElement.ENFORCEMENT_BASIS_DESCRIPTION: (
        "Beskrivelse av tvangsgrunnlaget",
        "A description of the enforcement basis",
    ),
    ContentElement.COPIES_OF_BASIS_AND_NOTICE: (
        "Kopi av tvangsgrunnlaget og varselet etter § 4-18",
        "Copies of the enforcement basis and the § 4-18 notice",
    ),
    ContentElement.CONCILIATION_IF_OBJECTED: (
        "Om saken skal til forliksrådet hvis skyldneren protesterer",
        "Whether the case should go to the conciliation board if the debtor objects",
    ),
    ContentElement.AGENCY_HANDOFF_NOTICE: (
        "At kravet kan bli sendt til et inkassoforetak",
        "That the claim may be handed to a collection agency",
    ),
    ContentElement.PAYMENTS_RECEIVED: (
        "Innbetalingene som er mottatt, med dato og beløp",
        "The payments received, each with its date and amount",
    ),
}

E = ContentElement
REQUIRED_CONTENT: dict[LetterType, tuple[ContentElement, ...]] = {
    LetterType.FRIENDLY_REMINDER: (E.CLAIM_DESCRIPTION, E.AMOUNT, E.PAYMENT_DEADLINE),
    # inkassoforskriften § 1-2: amount and what the claim concerns; the deadline is needed
    # for a second fee (§ 1-3) and the product always sets one.
    LetterType.REMINDER: (E.CLAIM_DESCRIPTION, E.AMOUNT, E.PAYMENT_DEADLINE),
    # inkassoloven § 9.
    LetterType.COLLECTION_NOTICE: (E.AMOUNT, E.PAYMENT_DEADLINE, E.COLLECTION_WILL_START),
    # inkassoloven § 10 (a)-(e) plus the tvfbl § 4-18 notice it is combined with.
    LetterType.PAYMENT_DEMAND: (
        E.CREDITOR_NAME,
        E.CLAIM_DESCRIPTION,
        E.AMOUNTS_ITEMISED,
        E.INTEREST_RATE_AND_START,
        E.PAYMENT_DEADLINE,
        E.PAY_OR_OBJECT,
        E.COSTS_AND_ENFORCEMENT_WARNING,
        E.CLAIM_BASIS_AND_EXTENT,
        E.ENFORCEMENT_WARNING,
    ),
    # tvfbl § 4-18, with the § 7-2 (f) requirement that the basis shows basis and amount.
    LetterType.ENFORCEMENT_NOTICE: (
        E.AMOUNT,
        E.CLAIM_BASIS_AND_EXTENT,
        E.PAYMENT_DEADLINE,
        E.ENFORCEMENT_WARNING,
    ),
    LetterType.BANKRUPTCY_WARNING: (
        E.CLAIM_DESCRIPTION,
        E.AMOUNT,
        E.PAYMENT_DEADLINE,
        E.BANKRUPTCY_WARNING,
    ),
    # tvisteloven § 5-2, per politiet.no's forliksklage page.
    LetterType.PRE_SUIT_NOTICE: (
        E.CREDITOR_NAME,
        E.CLAIM_BASIS_AND_EXTENT,
        E.AMOUNT,
        E.LAWSUIT_WARNING,
        E.ASKS_DEBTOR_POSITION,
    ),
    # New Act § 19 leaves content to a regulation not yet issued; this is the floor of
    # today's reminder plus the orientation Prop. 3 L 12.5.5 suggests.
    LetterType.DEMAND_LETTER: (
        E.CLAIM_DESCRIPTION,
        E.AMOUNT,
        E.PAYMENT_DEADLINE,
        E.AGENCY_HANDOFF_NOTICE,
    ),
    # politiet.no 'Sende utleggsbegjæring'; Skatteetaten API validation.
    LetterType.ENFORCEMENT_REQUEST: (
        E.PARTIES_AND_ADDRESSES,
        E.DEBTOR_IDENTIFIER,
        E.AMOUNTS_ITEMISED,
        E.ENFORCEMENT_BASIS_DESCRIPTION,
        E.COPIES_OF_BASIS_AND_NOTICE,
        E.CONCILIATION_IF_OBJECTED,
    ),
    LetterType.CONCILIATION_COMPLAINT: (
        E.PARTIES_AND_ADDRESSES,
        E.CLAIM_BASIS_AND_EXTENT,
        E.AMOUNTS_ITEMISED,
    ),
    LetterType.BANKRUPTCY_NOTICE: (
        E.CREDITOR_NAME,
        E.CLAIM_BASIS_AND_EXTENT,
        E.AMOUNT,
        E.PAYMENT_DEADLINE,
        E.BANKRUPTCY_WARNING,
    ),
    LetterType.BANKRUPTCY_PETITION: (
        E.PARTIES_AND_ADDRESSES,
        E.DEBTOR_IDENTIFIER,
        E.CLAIM_BASIS_AND_EXTENT,
        E.AMOUNTS_ITEMISED,
    ),
    # No statute governs a restnota: it is practice (Kredin offers one after a
    # part-payment). It still asks for money, so it carries what any written demand of a
    # creditor collecting its own claim carries: what the claim concerns and the amount
    # (inkassoforskriften § 1-2), who claims it, principal and each addition apart (as
    # inkassoloven § 10 a and c ask of a payment demand; here it is what lets the debtor
    # see what the payment covered and what is left) and a deadline.
    LetterType.REMAINDER_NOTE: (
        E.CREDITOR_NAME,
        E.CLAIM_DESCRIPTION,
        E.AMOUNTS_ITEMISED,
        E.AMOUNT,
        E.PAYMENT_DEADLINE,
    ),
    # Practice too, and a claim for interest alone: the debtor can check it only with
    # the rate and the day it ran from (forsinkelsesrenteloven §§ 2 and 3; inkassoloven
    # § 10 d asks the same of a payment demand), so those are required as well.
    LetterType.INTEREST_NOTE: (
        E.CREDITOR_NAME,
        E.CLAIM_DESCRIPTION,
        E.AMOUNTS_ITEMISED,
        E.INTEREST_RATE_AND_START,
        E.AMOUNT,
        E.PAYMENT_DEADLINE,
    ),
}

PRACTICE_CONTENT: dict[LetterType, tuple[ContentElement, ...]] = {
    LetterType.REMINDER: (E.CREDITOR_NAME,),
    LetterType.COLLECTION_NOTICE: (E.CREDITOR_NAME, E.CLAIM_DESCRIPTION),
    LetterType.ENFORCEMENT_NOTICE: (E.CREDITOR_NAME,),
    # Both statements answer a payment: they show it, with its date, so the debtor can
    # match it to the bank statement (the new Act's § 16 gives the debtor a right to this
    # information on request; no rule says a letter must carry it).
    LetterType.REMAINDER_NOTE: (E.PAYMENTS_RECEIVED,),
    LetterType.INTEREST_NOTE: (E.PAYMENTS_RECEIVED,),
}


def content_label(element: ContentElement, *, lang: Lang) -> str:
    norwegian, english = CONTENT_LABELS[element]
    return norwegian if lang == "nb" else english
