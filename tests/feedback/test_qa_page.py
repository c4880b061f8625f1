"""The public questions and answers (/danh-gia/hoi-dap/): answered items a head made public, in their
public wording only (never the original text or the sender), newest first, found without accents, paged,
light and linked from the citizen pages' menu."""

from motcua.feedback import handling
from motcua.org.roles import Role
from tests.factories import at
from tests.feedback.test_handling import answered, new_item

QA = "/danh-gia/hoi-dap/"


def publish(world, item, question, answer, when="2026-11-26 09:00"):
    return handling.perform(item, "publish", actor=world.user(Role.HEAD_OF_AGENCY),
                            data={"public_question": question, "public_answer": answer}, now=at(when))


def test_only_public_answers_show_in_their_public_wording_newest_first(world, client):
    older = answered(world, new_item(world), when="2026-11-25 09:00")
    publish(world, older, "Có phải nộp bản sao giấy khai sinh khi đăng ký thường trú?",
            "Không. Cơ quan tự khai thác dữ liệu dân cư.")
    newer = answered(world, new_item(world), when="2026-11-27 09:00")
    publish(world, newer, "Lệ phí cấp bản sao trích lục là bao nhiêu?", "Theo biểu phí của tỉnh.", when="2026-11-27 10:00")
    hidden = answered(world, new_item(world), when="2026-11-26 09:00")  # answered, not public
    publish(world, hidden, "Câu hỏi thôi công khai", "Trả lời thôi công khai")
    handling.perform(hidden, "unpublish", actor=world.user(Role.HEAD_OF_AGENCY), now=at("2026-11-26 10:00"))
    new_item(world)  # not answered

    response = client.get(QA)
    html = response.content.decode()
    assert response.status_code == 200 and "2 câu hỏi đã trả lời" in html
    assert html.index("Lệ phí cấp bản sao") < html.index("Có phải nộp bản sao giấy khai sinh")
    assert "Không. Cơ quan tự khai thác dữ liệu dân cư." in html
    assert "UBND phường Hạc Thành" in html and "trả lời ngày 25/11/2026" in html and "trả lời ngày 27/11/2026" in html
    assert "Về hành vi, thái độ của cán bộ, công chức" in html
    assert "thôi công khai" not in html
    for private in ("Trần Thị Bình", "0912345678", "binh@vidu.vn", "Cán bộ yêu cầu nộp bản sao", "nhắc nhở cán bộ"):
        assert private not in html  # neither the sender, nor the original text, nor the answer sent to them
    assert len(response.content) <= 60_000


def test_search_without_accents(world, client):
    item = answered(world, new_item(world))
    publish(world, item, "Có phải nộp bản sao giấy khai sinh?", "Không phải nộp.")
    other = answered(world, new_item(world))
    publish(world, other, "Lệ phí trích lục là bao nhiêu?", "Theo biểu phí.")
    html = client.get(QA, {"q": "giay khai sinh"}).content.decode()
    assert "1 câu hỏi khớp với “giay khai sinh”" in html and "bản sao giấy khai sinh" in html and "Lệ phí" not in html
    assert "Lệ phí trích lục" in client.get(QA, {"q": "LE PHI"}).content.decode()
    none = client.get(QA, {"q": "hộ chiếu"}).content.decode()
    assert "Không tìm thấy câu hỏi nào" in none


def test_pages_of_twenty_keep_the_query(world, client):
    for n in range(23):
        item = answered(world, new_item(world))
        publish(world, item, f"Câu hỏi về khai sinh số {n:02d}", "Trả lời.", when=f"2026-11-26 {8 + n // 60:02d}:{n % 60:02d}")
    first = client.get(QA, {"q": "khai sinh"}).content.decode()
    assert first.count('<article class="qa">') == 20 and "Trang 1/2" in first
    assert "?q=khai+sinh&amp;trang=2" in first
    second = client.get(QA, {"q": "khai sinh", "trang": "2"}).content.decode()
    assert second.count('<article class="qa">') == 3
    assert client.get(QA, {"trang": "abc"}).status_code == 200  # a bad page number shows the first page


def test_the_portal_menu_links_to_it(world, client):
    html = client.get("/danh-gia/phan-anh/").content.decode()
    assert f'href="{QA}"' in html
    assert 'aria-current="page">Hỏi đáp<' in client.get(QA).content.decode()
