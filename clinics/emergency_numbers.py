"""The number a patient with a red flag that cannot wait is told to call, by the clinic's country.

The number that brings an ambulance or emergency doctor where the clinic is: France's SAMU (15,
with the European 112 beside it), the UK's 999, North America's 911, and so on. 112 reaches the
emergency services from any mobile phone across Europe and on most GSM networks elsewhere, so it
is offered, beside the national number where one exists, and alone where we know no other; the
clinic's managers can correct it in the clinic's settings.
"""

# Each country's medical emergency number, then another that also answers (usually 112).
NATIONAL = {
    "AU": ("000", "112"),
    "BR": ("192", ""),
    "CA": ("911", ""),
    "CH": ("144", "112"),
    "CN": ("120", ""),
    "FR": ("15", "112"),
    "GB": ("999", "112"),
    "GF": ("15", "112"),
    "GP": ("15", "112"),
    "HK": ("999", "112"),
    "IE": ("112", "999"),
    "IL": ("101", "112"),
    "IN": ("112", "108"),
    "JP": ("119", ""),
    "KR": ("119", "112"),
    "MC": ("15", "112"),
    "MQ": ("15", "112"),
    "MX": ("911", ""),
    "NC": ("15", "112"),
    "NO": ("113", "112"),
    "NZ": ("111", ""),
    "PF": ("15", "112"),
    "RE": ("15", "112"),
    "SG": ("995", ""),
    "US": ("911", ""),
    "YT": ("15", "112"),
    "AE": ("998", "112"),
    "SA": ("997", "112"),
    "ZA": ("10177", "112"),
}
EUROPEAN = "112"


def emergency_numbers_for(country: str) -> tuple[str, str]:
    """The country's emergency number and another that also answers (or "")."""
    return NATIONAL.get(country, (EUROPEAN, ""))
