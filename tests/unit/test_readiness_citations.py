"""The case report's readiness checklist cites the section that imposes each duty."""
from fieldapp.documents import readiness


def _citations(state):
    return {row["label"]: row["citation"] for row in readiness.checklist(state, readiness.Evidence())["items"]}


def test_pennsylvania_conference_cites_13_1333_b_and_the_referral_13_1333_1():
    cited = _citations("PA")
    assert cited["School Attendance Improvement Conference offered"] == "24 P.S. 13-1333(b), 13-1333.1(d)"
    assert cited["School Attendance Improvement Plan written"] == "24 P.S. 13-1333(b)"
    assert cited["Habitually truant: 6 unexcused days"] == "24 P.S. 13-1326, 13-1333.1"
    assert not any("13-1333.2" in c or "13-1333.3" in c for c in cited.values())


def test_texas_exemption_cites_25_0915_a_3_and_counts_severe_illness():
    assert _citations("TX")["No exemption applies"] == "Ed Code 25.0915(a-3)"
    rows = readiness.checklist("TX", readiness.Evidence(flags=["severe_illness"]))["items"]
    exemption = next(r for r in rows if r["label"] == "No exemption applies")
    assert not exemption["met"] and "Severe or life-threatening illness" in exemption["detail"]


def test_california_and_washington_cite_the_subsections():
    assert _citations("CA")["Truant: 3 unexcused days or tardies over 30 minutes this year"] == "EC 48260(a)"
    assert _citations("WA")["Parent notified in a language they are fluent in"] == "RCW 28A.225.020(1)(a)"
