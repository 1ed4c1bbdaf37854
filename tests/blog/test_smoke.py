def test_home_lists_a_published_article(client, article):
    response = client.get("/")
    assert response.status_code == 200
    assert article.title in response.content.decode()
