"""Whoever reads a student's record can reach the case's officer: their phone
and email on the student page, as links a phone dials or mails."""
from tests.web.conftest import page_text


def test_the_student_page_gives_the_assigned_officers_phone_and_email_as_links(auth, login_as, world):
    officer = world["officer"]
    officer.phone = "(555) 201-3344 x12"
    officer.save()
    login_as("front_office")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert 'href="tel:5552013344;ext=12"' in page
    assert "(555) 201-3344 x12" in page
    assert f'href="mailto:{officer.email}"' in page


def test_no_phone_link_when_the_officer_has_given_no_phone(auth, login_as, world):
    login_as("supervisor")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert 'class="call outline" href="tel:' not in page
    assert f'href="mailto:{world["officer"].email}"' in page


def test_a_guardians_number_with_an_extension_dials_the_extension(auth, login_as, world):
    from fieldapp.models import Guardian
    Guardian.update(phone="(555) 777-0101 x9").execute()
    login_as("officer")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert 'href="tel:5557770101;ext=9"' in page


def test_the_officer_of_the_case_is_not_offered_a_call_to_themselves(auth, login_as, world):
    """On the officer's own case the first button on the page was 'Call <their own number>',
    above the guardians' numbers: at the door it dialled the officer's own phone."""
    officer = world["officer"]
    officer.phone = "(555) 201-9988"
    officer.save()
    login_as("officer")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert 'href="tel:5552019988"' not in page
    assert f'href="mailto:{officer.email}"' not in page
    assert officer.name in page  # the case still names its officer
