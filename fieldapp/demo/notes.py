"""What officers write in a contact's notes, for the demo district: by
method and outcome, in English and, for some Spanish-speaking families, in
Spanish as a bilingual officer would write them."""

NOTES = {
    "en": {
        ("home_visit", "reached_parent"): [
            "Spoke with mother at the door. The bus no longer stops on their street; gave her the route office's number.",
            "Father home from night shift. Kids oversleep when he is at work; agreed on an alarm and a neighbor's ride.",
            "Grandmother answered. She has the children this month and did not know about the absences.",
        ],
        ("home_visit", "reached_student"): [
            "Student answered the door, parents at work. Says he stays home to watch his little sister.",
            "Talked with the student on the porch; she says she feels unsafe on the walk past the park.",
        ],
        ("home_visit", "no_answer"): [
            "No answer at 8:10. Car in the driveway, curtains closed.",
            "Knocked twice, nobody came. Neighbor says the family is usually home after 4.",
        ],
        ("home_visit", "notice_at_door"): [
            "Nobody home. Left the district's notice with my cell number in the door.",
            "No answer; left a door hanger in Spanish and English.",
        ],
        ("home_visit", "moved"): [
            "New tenants at this address since last month; they do not know where the family went.",
        ],
        ("home_visit", "refused"): [
            "Mother would not discuss the absences and asked me to leave. Will try by phone.",
        ],
        ("home_visit", "student_located"): [
            "Found the student at home, not sick. Drove him to school with his mother's consent.",
        ],
        ("home_visit", "referral_made"): [
            "Family has no stable housing; referred them to the McKinney-Vento liaison.",
        ],
        ("phone", "reached_parent"): [
            "Mother says the child had the flu last week; asked her to send a doctor's note.",
            "Father confirmed the absences; he works early and cannot drive them. Talked about the bus pass.",
        ],
        ("phone", "reached_student"): [
            "Student picked up. Says he missed the bus again; reminded him of the 7:05 pickup.",
        ],
        ("phone", "no_answer"): ["Rang twice, no answer and no voicemail set up."],
        ("phone", "voicemail"): ["Left a voicemail asking the parent to call me back about attendance."],
        ("phone", "wrong_number"): ["Number disconnected. Asked the front office for a current one."],
        ("phone", "refused"): ["Father hung up when I said who I was."],
        ("phone", "referral_made"): ["Mother asked for help with counseling; referred to the school counselor."],
        ("text", "reached_parent"): ["Mother replied by text: the girls will be back on Monday."],
        ("text", "reached_student"): ["Student replied; agreed to meet at the counseling office tomorrow."],
        ("text", "no_answer"): ["Sent a reminder about Thursday's meeting; no reply yet."],
        ("text", "wrong_number"): ["Text bounced as undeliverable."],
        ("text", "refused"): ["Parent replied asking us to stop texting."],
        ("text", "referral_made"): ["Sent the food bank's address as the parent asked."],
        ("email", "reached_parent"): ["Father answered my email; he can come to a conference next week."],
        ("email", "reached_student"): ["Student wrote back about the missed assignments."],
        ("email", "no_answer"): ["Emailed the attendance summary; no answer after three days."],
        ("email", "refused"): ["Parent answered that the family will not meet with the school."],
        ("email", "referral_made"): ["Emailed the tutoring program's sign-up link to the family."],
        ("letter", "letter_issued"): ["Mailed the attendance letter to the home address on file."],
        ("letter", "moved"): ["Letter came back: moved, no forwarding address."],
        ("conference", "reached_parent"): [
            "Conference with mother and counselor. Agreed on a morning routine and a check-in with the counselor.",
        ],
        ("conference", "reached_student"): ["Met the student with the counselor; he wants to try a later bus."],
        ("conference", "no_answer"): ["Parent did not come to the conference; will reschedule."],
        ("conference", "refused"): ["Parent came but would not sign the agreement."],
        ("conference", "referral_made"): ["Referred the family to the district's mental health clinic."],
        ("school_meeting", "reached_parent"): ["Met the parent in the office after pickup to go over the absences."],
        ("school_meeting", "reached_student"): ["Checked in with the student at lunch; attendance better this week."],
        ("school_meeting", "no_answer"): ["Student did not come to the scheduled check-in."],
        ("school_meeting", "student_located"): ["Found the student in the library during first period."],
        ("school_meeting", "refused"): ["Student would not talk today."],
        ("school_meeting", "referral_made"): ["Referred the student to the mentoring program."],
        ("excuse_note", "note_received"): ["Doctor's note received for the days out sick."],
    },
    "es": {
        ("home_visit", "reached_parent"): [
            "Hablé con la mamá en la puerta. El autobús ya no pasa por su calle; le di el teléfono de transporte.",
            "El papá trabaja de noche y los niños se quedan dormidos; acordamos una alarma y que la vecina los lleve.",
        ],
        ("home_visit", "notice_at_door"): [
            "Nadie en casa. Dejé el aviso del distrito con mi número en la puerta.",
        ],
        ("home_visit", "no_answer"): ["No abrió nadie a las 8:10; la vecina dice que llegan después de las 4."],
        ("phone", "reached_parent"): [
            "La mamá dice que la niña tuvo gripe la semana pasada; le pedí la nota del médico.",
        ],
        ("phone", "voicemail"): ["Dejé mensaje de voz pidiendo que me llamen sobre la asistencia."],
        ("conference", "reached_parent"): [
            "Reunión con la mamá y la consejera; acordamos una rutina de mañana y revisar en dos semanas.",
        ],
        ("text", "reached_parent"): ["La mamá contestó por mensaje: los niños regresan el lunes."],
    },
}


def note_for(rng, method, outcome, language):
    """An officer's note for a contact of this method and outcome: in Spanish
    for some Spanish-speaking families when one is written, else in English."""
    spanish = NOTES["es"].get((method, outcome))
    if language == "es" and spanish and rng.random() < 0.4:
        return rng.choice(spanish)
    return rng.choice(NOTES["en"].get((method, outcome)) or ["Followed up on the absences."])
