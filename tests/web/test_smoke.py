def test_officer_logs_a_home_visit(client, auth, world):
    auth.login(world["officer"])
    page = client.get(f"/students/{world['student_a'].id}")
    assert page.status_code == 200
    assert "María" in page.get_data(as_text=True)
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data={
        "uuid": "5d1f8a0e-1c2b-4a7e-9a51-2f4a3c9d8e10", "method": "home_visit",
        "outcome": "notice_at_door", "reasons": ["housing"], "notes": "Nobody home; left notice."})
    assert response.status_code == 302
    timeline = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nobody home; left notice." in timeline
    assert "Notice left at door" in timeline
