from django.urls import reverse

from porchlight.testing.factories import ConversationFactory, ResidentFactory


def test_it_pages_search_results_keeping_the_query(client, personas):
    for i in range(30):
        ResidentFactory(first_name="Dolores", last_name=f"Huerta{i:02d}")
    client.force_login(personas["outreach_worker"])
    html = client.get(reverse("people:resident_list"), {"q": "dolores"}).content.decode()
    assert "Page 1 of 2" in html and "?q=dolores&amp;page=2" in html
    page2 = client.get(reverse("people:resident_list"), {"q": "dolores", "page": 2}).content.decode()
    assert "Page 2 of 2" in page2


def test_it_pages_conversations_keeping_the_channel_filter(client, personas):
    ConversationFactory.create_batch(26, channel="phone", held_by=personas["outreach_worker"])
    client.force_login(personas["program_manager"])
    html = client.get(reverse("outreach:conversation_list"), {"channel": "phone"}).content.decode()
    assert "?channel=phone&amp;page=2" in html
