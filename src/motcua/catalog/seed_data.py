"""Seed catalogue: 16 real administrative procedures (thủ tục hành chính) for a pilot province.

Pure data, no Django import. Loaded by ``motcua.catalog.services.load_catalog(FIELDS, PROCEDURES)``.

Sources: the procedure records published on the national public-service portal (dichvucong.gov.vn) and
the Ministry of Public Security's portal (dichvucong.bocongan.gov.vn), 2026; the one-stop rules of Nghị định
61/2018/NĐ-CP, 107/2021/NĐ-CP and 118/2025/NĐ-CP; the online-service levels of Nghị định 42/2022/NĐ-CP
(Art. 11); the fee circulars (Thông tư 75/2022/TT-BTC for residence, 226/2016/TT-BTC for certification);
the residence forms of Thông tư 66/2023/TT-BCA; Nghị định 63/2024/NĐ-CP (linked procedures) and 168/2025/NĐ-CP
(household businesses). Every figure not confirmed in one of them (and a few choices made here) is listed
in ``UNVERIFIED``; check those against the province's announcing decision (quyết định công bố) before going
live.

Conventions
- time_limit: [unit, value]; unit in working_day, working_hour, calendar_day, same_day, none.
- steps: hours are working hours (8 h = 1 working day). For working_day they add up to value * 8,
  for working_hour to value, for same_day to at most 8, for calendar_day to at most value * 8.
- fees: amount in đồng; online_amount None means "same as direct".
- eform: a JSON Schema subset (type, title, description, enum, format "date", maxLength, minimum, maximum,
  required, properties).
"""

# --------------------------------------------------------------------------------------------------
# Small builders (they only return plain dicts, so every case gets its own copy)
# --------------------------------------------------------------------------------------------------


def _comp(
    name, description, originals=0, certified_copies=0, photocopies=0, national_data=False, required=True
):
    return {
        "name": name,
        "description": description,
        "originals": originals,
        "certified_copies": certified_copies,
        "photocopies": photocopies,
        "national_data": national_data,
        "required": required,
    }


def _step(name, role, hours):
    return {"name": name, "role": role, "hours": hours}


def _fee(kind, name, amount, mode, online_amount=None):
    return {"kind": kind, "name": name, "amount": amount, "online_amount": online_amount, "mode": mode}


def _text(title, max_length=100, description=None):
    prop = {"type": "string", "title": title, "maxLength": max_length}
    if description:
        prop["description"] = description
    return prop


def _date(title):
    return {"type": "string", "title": title, "format": "date"}


def _choice(title, options):
    return {"type": "string", "title": title, "enum": list(options)}


def _int(title, minimum=0, maximum=None):
    prop = {"type": "integer", "title": title, "minimum": minimum}
    if maximum is not None:
        prop["maximum"] = maximum
    return prop


def _number(title, minimum=0):
    return {"type": "number", "title": title, "minimum": minimum}


def _bool(title, description=None):
    prop = {"type": "boolean", "title": title}
    if description:
        prop["description"] = description
    return prop


def _form(title, properties, required):
    return {"type": "object", "title": title, "required": list(required), "properties": properties}


def _pid(title="Số định danh cá nhân"):
    return _text(title, 12, "12 chữ số in trên thẻ căn cước hoặc trong ứng dụng VNeID.")


# Papers that many procedures share --------------------------------------------------------------


def _id_papers():
    return _comp(
        "Giấy tờ tùy thân (thẻ căn cước, căn cước công dân hoặc hộ chiếu còn hạn)",
        "Chỉ mang theo để cán bộ đối chiếu, không phải nộp. Nếu nộp trực tuyến bằng tài khoản VNeID thì "
        "không cần tải lên vì thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư.",
        national_data=True,
    )


def _authorisation():
    return _comp(
        "Văn bản ủy quyền (chỉ khi nhờ người khác làm thay)",
        "Chỉ cần khi bạn nhờ người khác đi nộp hồ sơ. Văn bản ủy quyền phải được chứng thực; nếu người "
        "được nhờ là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột của bạn thì không cần chứng thực.",
        originals=1,
        required=False,
    )


def _ct01(purpose):
    return _comp(
        "Tờ khai thay đổi thông tin cư trú (mẫu CT01)",
        "Tờ khai theo mẫu CT01 của Bộ Công an, lấy miễn phí tại Công an xã hoặc khai trực tuyến trên Cổng "
        "Dịch vụ công quốc gia, ứng dụng VNeID. " + purpose,
        originals=1,
    )


def _lawful_residence():
    return _comp(
        "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
        "Ví dụ: Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà; hợp đồng thuê, mượn hoặc cho ở nhờ; "
        "giấy xác nhận của Ủy ban nhân dân xã. Nộp bản sao có chứng thực hoặc mang bản chính để đối chiếu. "
        "Nếu thông tin về nhà, đất đã có trong cơ sở dữ liệu thì cán bộ tự tra cứu, bạn không phải nộp.",
        certified_copies=1,
    )


def _ct01_form(title, default_request):
    return _form(
        title,
        {
            "ho_ten": _text("Họ, chữ đệm và tên"),
            "ngay_sinh": _date("Ngày, tháng, năm sinh"),
            "gioi_tinh": _choice("Giới tính", ["Nam", "Nữ"]),
            "so_dinh_danh": _pid(),
            "so_dien_thoai": _text("Số điện thoại liên hệ", 15),
            "dia_chi_dang_ky": _text("Địa chỉ nơi đề nghị đăng ký", 255),
            "ho_ten_chu_ho": _text("Họ, chữ đệm và tên chủ hộ"),
            "so_dinh_danh_chu_ho": _pid("Số định danh cá nhân của chủ hộ"),
            "quan_he_voi_chu_ho": _text(
                "Quan hệ với chủ hộ", 50, "Ví dụ: chủ hộ, vợ, con, cháu, người ở nhờ."
            ),
            "noi_dung_de_nghi": _text("Nội dung đề nghị", 500, "Ví dụ: " + default_request),
        },
        ["ho_ten", "ngay_sinh", "gioi_tinh", "so_dinh_danh", "dia_chi_dang_ky", "noi_dung_de_nghi"],
    )


def _residence_steps(total_days, specialist_hours):
    """Police residence-registration chain. specialist_hours is what is left after the fixed steps."""
    steps = [
        _step("Tiếp nhận, kiểm tra hồ sơ, cấp phiếu tiếp nhận (CT04)", "one_stop_officer", 2),
        _step(
            "Cán bộ đăng ký cư trú thẩm định, xác minh chỗ ở và điều kiện đăng ký",
            "specialist",
            specialist_hours,
        ),
        _step("Lãnh đạo Công an xã xem xét, phê duyệt", "head_of_agency", 4),
        _step("Cập nhật Cơ sở dữ liệu về cư trú, lập thông báo kết quả", "clerk", 1),
        _step("Trả kết quả cho người đăng ký", "one_stop_officer", 1),
    ]
    assert sum(s["hours"] for s in steps) == total_days * 8
    return steps


def _civil_same_day_steps(record):
    return [
        _step("Tiếp nhận, kiểm tra hồ sơ", "one_stop_officer", 0.5),
        _step("Công chức tư pháp - hộ tịch thẩm tra, tra cứu dữ liệu, " + record, "specialist", 2),
        _step("Lãnh đạo Ủy ban nhân dân xã ký kết quả", "head_of_agency", 1),
        _step("Văn thư đóng dấu, vào sổ", "clerk", 0.5),
        _step("Trả kết quả cho người yêu cầu", "one_stop_officer", 0.5),
    ]


def _civil_verification_steps(days, record):
    total = days * 8
    fixed = 1 + 4 + 1 + 1
    return [
        _step("Tiếp nhận, kiểm tra hồ sơ", "one_stop_officer", 1),
        _step(
            "Công chức tư pháp - hộ tịch xác minh, tra cứu dữ liệu, " + record, "specialist", total - fixed
        ),
        _step("Lãnh đạo Ủy ban nhân dân xã ký kết quả", "head_of_agency", 4),
        _step("Văn thư đóng dấu, vào sổ", "clerk", 1),
        _step("Trả kết quả cho người yêu cầu", "one_stop_officer", 1),
    ]


def _certification_steps(check):
    return [
        _step("Tiếp nhận yêu cầu, kiểm tra giấy tờ", "one_stop_officer", 0.5),
        _step(check, "specialist", 1),
        _step("Người có thẩm quyền ký chứng thực", "head_of_agency", 0.5),
        _step("Đóng dấu, ghi sổ chứng thực", "clerk", 0.5),
        _step("Trả kết quả, thu phí", "one_stop_officer", 0.5),
    ]


# --------------------------------------------------------------------------------------------------
# Lĩnh vực
# --------------------------------------------------------------------------------------------------

FIELDS = [
    {"code": "HOTICH", "name": "Hộ tịch"},
    {"code": "CUTRU", "name": "Đăng ký, quản lý cư trú"},
    {"code": "CANCUOC", "name": "Cấp, quản lý căn cước"},
    {"code": "CHUNGTHUC", "name": "Chứng thực"},
    {"code": "DKKD", "name": "Đăng ký kinh doanh"},
    {"code": "XAYDUNG", "name": "Hoạt động xây dựng"},
    {"code": "DUONGBO", "name": "Đường bộ"},
    {"code": "LIENTHONG", "name": "Liên thông thủ tục hành chính"},
]


# --------------------------------------------------------------------------------------------------
# Forms reused by several cases
# --------------------------------------------------------------------------------------------------


def _birth_form():
    return _form(
        "Tờ khai đăng ký khai sinh",
        {
            "ho_ten_nguoi_yeu_cau": _text("Họ, chữ đệm, tên người yêu cầu"),
            "so_dinh_danh_nguoi_yeu_cau": _pid("Số định danh cá nhân của người yêu cầu"),
            "quan_he_voi_tre": _choice(
                "Quan hệ với trẻ", ["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác"]
            ),
            "ho_ten_tre": _text("Họ, chữ đệm, tên của trẻ"),
            "ngay_sinh_tre": _date("Ngày, tháng, năm sinh của trẻ"),
            "gioi_tinh_tre": _choice("Giới tính của trẻ", ["Nam", "Nữ"]),
            "noi_sinh": _text("Nơi sinh", 255, "Tên bệnh viện, cơ sở y tế hoặc địa chỉ nơi trẻ sinh ra."),
            "dan_toc": _text("Dân tộc", 50),
            "ho_ten_me": _text("Họ, chữ đệm, tên người mẹ"),
            "ho_ten_cha": _text("Họ, chữ đệm, tên người cha", 100, "Để trống nếu chưa xác định được cha."),
        },
        [
            "ho_ten_nguoi_yeu_cau",
            "so_dinh_danh_nguoi_yeu_cau",
            "quan_he_voi_tre",
            "ho_ten_tre",
            "ngay_sinh_tre",
            "gioi_tinh_tre",
            "noi_sinh",
            "dan_toc",
            "ho_ten_me",
        ],
    )


def _birth_components():
    return [
        _comp(
            "Tờ khai đăng ký khai sinh (theo mẫu)",
            "Tờ khai in sẵn, lấy miễn phí tại bộ phận một cửa hoặc tải trên Cổng Dịch vụ công quốc gia. Nếu "
            "nộp trực tuyến, bạn điền biểu mẫu điện tử trên Cổng hoặc ứng dụng VNeID thay cho tờ khai giấy.",
            originals=1,
        ),
        _comp(
            "Giấy chứng sinh",
            "Bản chính Giấy chứng sinh do bệnh viện hoặc cơ sở y tế nơi trẻ sinh ra cấp. Nếu sinh ở nhà, mang "
            "văn bản của người làm chứng; không có người làm chứng thì viết giấy cam đoan về việc sinh. Nếu cơ "
            "sở y tế đã gửi Giấy chứng sinh điện tử thì không cần nộp bản giấy.",
            originals=1,
        ),
        _id_papers(),
        _comp(
            "Giấy chứng nhận kết hôn của cha, mẹ (nếu có)",
            "Không phải nộp: cán bộ tự tra cứu trong Cơ sở dữ liệu hộ tịch điện tử. Chỉ mang theo khi được "
            "báo là chưa tra cứu được.",
            national_data=True,
            required=False,
        ),
        _authorisation(),
    ]


def _death_form():
    return _form(
        "Tờ khai đăng ký khai tử",
        {
            "ho_ten_nguoi_yeu_cau": _text("Họ, chữ đệm, tên người yêu cầu"),
            "so_dinh_danh_nguoi_yeu_cau": _pid("Số định danh cá nhân của người yêu cầu"),
            "quan_he_voi_nguoi_mat": _text("Quan hệ với người đã mất", 50, "Ví dụ: con, vợ, chồng, cháu."),
            "ho_ten_nguoi_mat": _text("Họ, chữ đệm, tên người đã mất"),
            "so_dinh_danh_nguoi_mat": _pid("Số định danh cá nhân của người đã mất"),
            "ngay_mat": _date("Ngày mất"),
            "noi_mat": _text("Nơi mất", 255),
            "nguyen_nhan_mat": _text("Nguyên nhân mất", 255),
            "so_giay_bao_tu": _text("Số Giấy báo tử hoặc giấy tờ thay thế", 50),
        },
        [
            "ho_ten_nguoi_yeu_cau",
            "so_dinh_danh_nguoi_yeu_cau",
            "quan_he_voi_nguoi_mat",
            "ho_ten_nguoi_mat",
            "ngay_mat",
            "noi_mat",
        ],
    )


def _death_components():
    return [
        _comp(
            "Tờ khai đăng ký khai tử (theo mẫu)",
            "Lấy tại bộ phận một cửa hoặc khai trực tuyến trên Cổng Dịch vụ công quốc gia, ứng dụng VNeID. "
            "Người thân (vợ, chồng, con, cha, mẹ…) hoặc người có trách nhiệm đứng ra khai.",
            originals=1,
        ),
        _comp(
            "Giấy báo tử hoặc giấy tờ thay Giấy báo tử",
            "Bản chính Giấy báo tử do bệnh viện cấp nếu mất tại cơ sở y tế, hoặc do Ủy ban nhân dân xã cấp "
            "nếu mất tại nhà. Chết do tai nạn hoặc bị tòa án tuyên bố đã chết thì dùng biên bản của công an "
            "hoặc bản án, quyết định của tòa án.",
            originals=1,
        ),
        _id_papers(),
        _authorisation(),
    ]


def _marriage_form():
    return _form(
        "Tờ khai đăng ký kết hôn",
        {
            "ho_ten_ben_nu": _text("Họ, chữ đệm, tên bên nữ"),
            "ngay_sinh_ben_nu": _date("Ngày sinh bên nữ"),
            "so_dinh_danh_ben_nu": _pid("Số định danh cá nhân bên nữ"),
            "noi_cu_tru_ben_nu": _text("Nơi cư trú bên nữ", 255),
            "ket_hon_lan_thu_ben_nu": _int("Bên nữ kết hôn lần thứ mấy", 1, 20),
            "ho_ten_ben_nam": _text("Họ, chữ đệm, tên bên nam"),
            "ngay_sinh_ben_nam": _date("Ngày sinh bên nam"),
            "so_dinh_danh_ben_nam": _pid("Số định danh cá nhân bên nam"),
            "noi_cu_tru_ben_nam": _text("Nơi cư trú bên nam", 255),
            "ket_hon_lan_thu_ben_nam": _int("Bên nam kết hôn lần thứ mấy", 1, 20),
        },
        [
            "ho_ten_ben_nu",
            "ngay_sinh_ben_nu",
            "so_dinh_danh_ben_nu",
            "ho_ten_ben_nam",
            "ngay_sinh_ben_nam",
            "so_dinh_danh_ben_nam",
        ],
    )


def _marriage_components():
    return [
        _comp(
            "Tờ khai đăng ký kết hôn (theo mẫu)",
            "Hai bên nam, nữ khai chung một tờ khai. Lấy tại bộ phận một cửa hoặc khai trực tuyến; cả hai "
            "người phải có mặt khi nhận Giấy chứng nhận kết hôn.",
            originals=1,
        ),
        _comp(
            "Giấy tờ tùy thân của hai bên nam, nữ",
            "Mỗi người mang thẻ căn cước hoặc hộ chiếu còn hạn để đối chiếu, không phải nộp.",
            national_data=True,
        ),
        _comp(
            "Giấy xác nhận tình trạng hôn nhân (chỉ khi cán bộ không tra cứu được)",
            "Thông thường cán bộ tự tra cứu tình trạng hôn nhân trong Cơ sở dữ liệu hộ tịch điện tử và dân "
            "cư. Chỉ khi được báo là không tra cứu được, bạn xin giấy này tại Ủy ban nhân dân xã nơi cư trú.",
            originals=1,
            national_data=True,
            required=False,
        ),
    ]


def _linked_birth_case(code, name, steps, days):
    return {
        "code": code,
        "name": name,
        "time_limit": ["working_day", days],
        "online_time_limit": None,
        "same_day_cutoff": "15:00",
        "online_cutoff": None,
        "online_level": "full",
        "result_documents": [
            "Giấy khai sinh điện tử",
            "Thông báo kết quả đăng ký thường trú",
            "Thẻ bảo hiểm y tế điện tử của trẻ",
            "Thẻ căn cước của trẻ (nếu có đề nghị)",
        ],
        "components": [
            _comp(
                "Tờ khai điện tử liên thông",
                "Cha, mẹ hoặc người thân khai trên Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID. Phần lớn "
                "thông tin được điền sẵn từ Cơ sở dữ liệu quốc gia về dân cư; đăng nhập bằng VNeID thì không "
                "phải ký số.",
                originals=1,
            ),
            _comp(
                "Giấy chứng sinh (bản điện tử)",
                "Thường do bệnh viện gửi thẳng lên Cổng. Nếu chưa có, chụp rõ nét Giấy chứng sinh bản giấy và "
                "đính kèm; không có Giấy chứng sinh thì đính kèm văn bản của người làm chứng hoặc giấy cam đoan "
                "về việc sinh.",
                photocopies=1,
            ),
            _comp(
                "Giấy tờ chứng minh chỗ ở hợp pháp (chỉ khi đăng ký thường trú cho trẻ khác nơi ở của cha, mẹ)",
                "Chụp và đính kèm giấy tờ nhà, đất hoặc văn bản đồng ý của chủ nhà nơi trẻ sẽ đăng ký thường trú.",
                photocopies=1,
                required=False,
            ),
        ],
        "fees": [
            _fee(
                "le_phi",
                "Lệ phí theo từng thủ tục thành phần (khai sinh đúng hạn và cấp thẻ căn cước cho trẻ dưới 6 tuổi "
                "được miễn)",
                0,
                "exempt",
            )
        ],
        "steps": steps,
        "eform": _form(
            "Tờ khai điện tử liên thông khai sinh, thường trú, bảo hiểm y tế, căn cước",
            {
                "ho_ten_nguoi_yeu_cau": _text("Họ, chữ đệm, tên người yêu cầu"),
                "so_dinh_danh_nguoi_yeu_cau": _pid("Số định danh cá nhân của người yêu cầu"),
                "quan_he_voi_tre": _choice("Quan hệ với trẻ", ["Cha", "Mẹ", "Người thân thích khác"]),
                "ho_ten_tre": _text("Họ, chữ đệm, tên của trẻ"),
                "ngay_sinh_tre": _date("Ngày, tháng, năm sinh của trẻ"),
                "gioi_tinh_tre": _choice("Giới tính của trẻ", ["Nam", "Nữ"]),
                "noi_sinh": _text("Nơi sinh", 255),
                "noi_dang_ky_thuong_tru": _text("Nơi đăng ký thường trú cho trẻ", 255),
                "de_nghi_cap_the_can_cuoc": _bool("Đề nghị cấp thẻ căn cước cho trẻ"),
            },
            [
                "ho_ten_nguoi_yeu_cau",
                "so_dinh_danh_nguoi_yeu_cau",
                "quan_he_voi_tre",
                "ho_ten_tre",
                "ngay_sinh_tre",
                "gioi_tinh_tre",
                "noi_sinh",
                "noi_dang_ky_thuong_tru",
            ],
        ),
    }


# --------------------------------------------------------------------------------------------------
# Procedures
# --------------------------------------------------------------------------------------------------

PROCEDURES = [
    # 1 -------------------------------------------------------------------------------------------
    {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "HOTICH",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Nghị định 104/2022/NĐ-CP; "
        "Thông tư 04/2020/TT-BTP; Thông tư 85/2019/TT-BTC (lệ phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tư pháp (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đăng ký khai sinh đúng hạn",
                "time_limit": ["same_day", None],
                "online_time_limit": None,
                "same_day_cutoff": "15:00",
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": ["Giấy khai sinh (bản chính)", "Bản sao Giấy khai sinh (nếu có yêu cầu)"],
                "components": _birth_components(),
                "fees": [_fee("le_phi", "Lệ phí đăng ký khai sinh đúng hạn (miễn)", 0, "exempt")],
                "steps": _civil_same_day_steps("ghi Sổ đăng ký khai sinh, lấy số định danh cá nhân cho trẻ"),
                "eform": _birth_form(),
            },
            {
                "code": "TH2",
                "name": "Đăng ký khai sinh phải xác minh",
                "time_limit": ["working_day", 3],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": ["Giấy khai sinh (bản chính)", "Bản sao Giấy khai sinh (nếu có yêu cầu)"],
                "components": _birth_components(),
                "fees": [_fee("le_phi", "Lệ phí đăng ký khai sinh đúng hạn (miễn)", 0, "exempt")],
                "steps": _civil_verification_steps(3, "ghi Sổ đăng ký khai sinh, lấy số định danh cá nhân"),
                "eform": _birth_form(),
            },
        ],
    },
    # 2 -------------------------------------------------------------------------------------------
    {
        "code": "3.000722",
        "name": "Liên thông điện tử: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế, "
        "cấp thẻ căn cước cho trẻ em dưới 6 tuổi",
        "field": "LIENTHONG",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Luật Hộ tịch 2014; Luật Cư trú 2020; Luật Bảo hiểm y tế; Luật Căn cước 2023; "
        "Nghị định 63/2024/NĐ-CP; Nghị định 118/2025/NĐ-CP",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính liên thông (số hiệu: cần đối chiếu)",
        },
        "cases": [
            _linked_birth_case(
                "TH1",
                "Hồ sơ không phải xác minh",
                [
                    _step("Tiếp nhận hồ sơ từ Cổng Dịch vụ công quốc gia, kiểm tra", "one_stop_officer", 1),
                    _step("Công chức tư pháp - hộ tịch đăng ký khai sinh, lấy số định danh", "specialist", 5),
                    _step("Lãnh đạo Ủy ban nhân dân xã ký Giấy khai sinh điện tử", "head_of_agency", 2),
                    _step("Công an xã đăng ký thường trú cho trẻ", "specialist", 8),
                    _step("Cơ quan bảo hiểm xã hội cấp thẻ bảo hiểm y tế", "specialist", 7),
                    _step("Trả kết quả điện tử vào kho dữ liệu của công dân", "clerk", 1),
                ],
                3,
            ),
            _linked_birth_case(
                "TH2",
                "Hồ sơ cần xác minh (đăng ký thường trú phải xác minh theo Luật Cư trú)",
                [
                    _step("Tiếp nhận hồ sơ từ Cổng Dịch vụ công quốc gia, kiểm tra", "one_stop_officer", 1),
                    _step("Công chức tư pháp - hộ tịch đăng ký khai sinh, lấy số định danh", "specialist", 6),
                    _step("Lãnh đạo Ủy ban nhân dân xã ký Giấy khai sinh điện tử", "head_of_agency", 2),
                    _step("Công an xã xác minh, đăng ký thường trú cho trẻ", "specialist", 22),
                    _step("Cơ quan bảo hiểm xã hội cấp thẻ bảo hiểm y tế", "specialist", 8),
                    _step("Trả kết quả điện tử vào kho dữ liệu của công dân", "clerk", 1),
                ],
                5,
            ),
        ],
    },
    # 3 -------------------------------------------------------------------------------------------
    {
        "code": "1.004222",
        "name": "Đăng ký thường trú",
        "field": "CUTRU",
        "level": "commune",
        "agency_kind": "vertical_agency",
        "legal_basis": "Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA; "
        "Thông tư 66/2023/TT-BCA (biểu mẫu); Thông tư 75/2022/TT-BTC (lệ phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Công an (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đăng ký thường trú",
                "time_limit": ["working_day", 7],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Thông báo kết quả giải quyết đăng ký thường trú"],
                "components": [
                    _ct01(
                        "Chủ hộ, chủ sở hữu chỗ ở (hoặc người được họ ủy quyền) ghi ý kiến đồng ý cho bạn "
                        "đăng ký thường trú ngay trên tờ khai, trừ khi đã có văn bản đồng ý riêng."
                    ),
                    _lawful_residence(),
                    _comp(
                        "Giấy tờ chứng minh quan hệ nhân thân với chủ hộ (khi về ở với người thân)",
                        "Ví dụ Giấy khai sinh, Giấy chứng nhận kết hôn. Không phải nộp nếu quan hệ này đã có "
                        "trong Cơ sở dữ liệu quốc gia về dân cư.",
                        certified_copies=1,
                        national_data=True,
                        required=False,
                    ),
                    _comp(
                        "Văn bản đồng ý của cha, mẹ hoặc người giám hộ (người chưa thành niên)",
                        "Chỉ cần khi người đăng ký chưa đủ 18 tuổi và không ở cùng cha, mẹ.",
                        originals=1,
                        required=False,
                    ),
                ],
                "fees": [
                    _fee("le_phi", "Lệ phí đăng ký thường trú", 20000, "prepaid", online_amount=10000),
                ],
                "steps": _residence_steps(7, 48),
                "eform": _ct01_form(
                    "Tờ khai thay đổi thông tin cư trú (CT01) - đăng ký thường trú",
                    "Đăng ký thường trú vào hộ gia đình của bố mẹ.",
                ),
            },
        ],
    },
    # 4 -------------------------------------------------------------------------------------------
    {
        "code": "1.004194",
        "name": "Đăng ký tạm trú",
        "field": "CUTRU",
        "level": "commune",
        "agency_kind": "vertical_agency",
        "legal_basis": "Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA; "
        "Thông tư 66/2023/TT-BCA (biểu mẫu); Thông tư 75/2022/TT-BTC (lệ phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Công an (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đăng ký tạm trú",
                "time_limit": ["working_day", 3],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Thông báo kết quả giải quyết đăng ký tạm trú"],
                "components": [
                    _ct01(
                        "Nếu ở nhà thuê, ở nhờ, chủ nhà hoặc người được chủ nhà ủy quyền ghi ý kiến đồng ý "
                        "vào tờ khai."
                    ),
                    _lawful_residence(),
                ],
                "fees": [
                    _fee("le_phi", "Lệ phí đăng ký tạm trú", 15000, "prepaid", online_amount=7000),
                ],
                "steps": _residence_steps(3, 16),
                "eform": _ct01_form(
                    "Tờ khai thay đổi thông tin cư trú (CT01) - đăng ký tạm trú",
                    "Đăng ký tạm trú tại phòng trọ từ tháng 9 năm nay.",
                ),
            },
        ],
    },
    # 5 -------------------------------------------------------------------------------------------
    {
        "code": "1.010038",
        "name": "Tách hộ",
        "field": "CUTRU",
        "level": "commune",
        "agency_kind": "vertical_agency",
        "legal_basis": "Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA; "
        "Thông tư 66/2023/TT-BCA (biểu mẫu); Thông tư 75/2022/TT-BTC (lệ phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Công an (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Tách hộ",
                "time_limit": ["working_day", 5],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Thông báo kết quả giải quyết tách hộ"],
                "components": [
                    _ct01(
                        "Chủ hộ ghi ý kiến đồng ý cho tách hộ vào tờ khai; nếu tách hộ sau khi ly hôn thì "
                        "không cần ý kiến của chủ hộ."
                    ),
                    _comp(
                        "Giấy tờ chứng minh đã ly hôn (chỉ khi tách hộ sau ly hôn)",
                        "Bản án hoặc quyết định ly hôn của tòa án đã có hiệu lực. Không phải nộp nếu thông "
                        "tin đã có trong cơ sở dữ liệu.",
                        certified_copies=1,
                        national_data=True,
                        required=False,
                    ),
                ],
                "fees": [
                    _fee("le_phi", "Lệ phí tách hộ", 10000, "prepaid", online_amount=5000),
                ],
                "steps": _residence_steps(5, 32),
                "eform": _ct01_form(
                    "Tờ khai thay đổi thông tin cư trú (CT01) - tách hộ",
                    "Tách hộ để lập hộ mới tại cùng chỗ ở hợp pháp.",
                ),
            },
        ],
    },
    # 6 -------------------------------------------------------------------------------------------
    {
        "code": "1.116410",
        "name": "Cấp thẻ căn cước cho người dưới 06 tuổi",
        "field": "CANCUOC",
        "level": "commune",
        "agency_kind": "vertical_agency",
        "legal_basis": "Luật Căn cước 2023; Nghị định 70/2024/NĐ-CP; Thông tư 17/2024/TT-BCA (biểu mẫu)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Công an (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Cấp thẻ căn cước lần đầu cho trẻ dưới 06 tuổi",
                "time_limit": ["working_day", 7],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": ["Thẻ căn cước của trẻ (nhận tại Công an xã hoặc qua bưu chính)"],
                "components": [
                    _comp(
                        "Phiếu đề nghị giải quyết thủ tục về căn cước",
                        "Cha, mẹ hoặc người giám hộ khai trên Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID. "
                        "Thông tin của trẻ được lấy sẵn từ Cơ sở dữ liệu quốc gia về dân cư, bạn chỉ cần "
                        "kiểm tra lại và xác nhận.",
                        originals=1,
                    ),
                    _comp(
                        "Phiếu thu nhận thông tin căn cước (mẫu CC01)",
                        "Công an in phiếu này từ dữ liệu dân cư khi tiếp nhận hồ sơ; cha, mẹ chỉ kiểm tra và "
                        "ký xác nhận, không phải tự chuẩn bị.",
                        originals=1,
                        national_data=True,
                    ),
                    _comp(
                        "Phiếu thu thập thông tin dân cư (mẫu DC01) và giấy tờ có thông tin của trẻ",
                        "Chỉ cần khi trẻ chưa có thông tin trong Cơ sở dữ liệu quốc gia về dân cư, ví dụ chưa "
                        "được cấp số định danh. Mang theo Giấy khai sinh của trẻ.",
                        originals=1,
                        required=False,
                    ),
                ],
                "fees": [
                    _fee("le_phi", "Lệ phí cấp thẻ căn cước cho người dưới 06 tuổi (miễn)", 0, "exempt")
                ],
                "steps": [
                    _step("Tiếp nhận hồ sơ, tra cứu Cơ sở dữ liệu quốc gia về dân cư", "one_stop_officer", 4),
                    _step("Cán bộ Công an xã lập hồ sơ cấp thẻ căn cước", "specialist", 16),
                    _step("Lãnh đạo Công an xã duyệt hồ sơ", "head_of_agency", 4),
                    _step("Cơ quan quản lý căn cước Bộ Công an in, cá thể hóa thẻ", "specialist", 28),
                    _step("Nhận thẻ, vào sổ, chuyển bưu chính nếu có yêu cầu", "clerk", 2),
                    _step("Trả thẻ cho người đại diện", "one_stop_officer", 2),
                ],
                "eform": _form(
                    "Đề nghị cấp thẻ căn cước cho người dưới 06 tuổi",
                    {
                        "ho_ten_nguoi_dai_dien": _text("Họ, chữ đệm, tên người đại diện hợp pháp"),
                        "so_dinh_danh_nguoi_dai_dien": _pid("Số định danh cá nhân của người đại diện"),
                        "quan_he_voi_tre": _choice("Quan hệ với trẻ", ["Cha", "Mẹ", "Người giám hộ"]),
                        "ho_ten_tre": _text("Họ, chữ đệm, tên của trẻ"),
                        "so_dinh_danh_tre": _pid("Số định danh cá nhân của trẻ"),
                        "ngay_sinh_tre": _date("Ngày sinh của trẻ"),
                        "hinh_thuc_nhan_the": _choice(
                            "Hình thức nhận thẻ", ["Tại Công an xã", "Qua bưu chính"]
                        ),
                        "dia_chi_nhan_the": _text("Địa chỉ nhận thẻ qua bưu chính", 255),
                    },
                    [
                        "ho_ten_nguoi_dai_dien",
                        "so_dinh_danh_nguoi_dai_dien",
                        "quan_he_voi_tre",
                        "ho_ten_tre",
                        "so_dinh_danh_tre",
                        "ngay_sinh_tre",
                        "hinh_thuc_nhan_the",
                    ],
                ),
            },
        ],
    },
    # 7 -------------------------------------------------------------------------------------------
    {
        "code": "1.000894",
        "name": "Đăng ký kết hôn",
        "field": "HOTICH",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Luật Hôn nhân và gia đình 2014; Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; "
        "Thông tư 04/2020/TT-BTP",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tư pháp (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đăng ký kết hôn không phải xác minh",
                "time_limit": ["same_day", None],
                "online_time_limit": None,
                "same_day_cutoff": "15:00",
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Giấy chứng nhận kết hôn (mỗi bên một bản chính)"],
                "components": _marriage_components(),
                "fees": [
                    _fee(
                        "le_phi",
                        "Lệ phí đăng ký kết hôn (miễn cho công dân Việt Nam cư trú trong nước)",
                        0,
                        "exempt",
                    ),
                ],
                "steps": [
                    _step("Tiếp nhận, kiểm tra hồ sơ", "one_stop_officer", 0.5),
                    _step(
                        "Công chức tư pháp - hộ tịch tra cứu tình trạng hôn nhân, thẩm tra điều kiện kết hôn",
                        "specialist",
                        2,
                    ),
                    _step("Lãnh đạo Ủy ban nhân dân xã ký Giấy chứng nhận kết hôn", "head_of_agency", 1),
                    _step("Văn thư đóng dấu, vào Sổ đăng ký kết hôn", "clerk", 0.5),
                    _step(
                        "Trao Giấy chứng nhận kết hôn, hai bên cùng ký Sổ đăng ký kết hôn",
                        "one_stop_officer",
                        1,
                    ),
                ],
                "eform": _marriage_form(),
            },
            {
                "code": "TH2",
                "name": "Đăng ký kết hôn phải xác minh điều kiện kết hôn",
                "time_limit": ["working_day", 5],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Giấy chứng nhận kết hôn (mỗi bên một bản chính)"],
                "components": _marriage_components(),
                "fees": [
                    _fee(
                        "le_phi",
                        "Lệ phí đăng ký kết hôn (miễn cho công dân Việt Nam cư trú trong nước)",
                        0,
                        "exempt",
                    ),
                ],
                "steps": _civil_verification_steps(5, "xác minh điều kiện kết hôn"),
                "eform": _marriage_form(),
            },
        ],
    },
    # 8 -------------------------------------------------------------------------------------------
    {
        "code": "1.000656",
        "name": "Đăng ký khai tử",
        "field": "HOTICH",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP; "
        "Thông tư 85/2019/TT-BTC (lệ phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tư pháp (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đăng ký khai tử đúng hạn",
                "time_limit": ["same_day", None],
                "online_time_limit": None,
                "same_day_cutoff": "15:00",
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": ["Trích lục khai tử (bản chính)"],
                "components": _death_components(),
                "fees": [_fee("le_phi", "Lệ phí đăng ký khai tử đúng hạn (miễn)", 0, "exempt")],
                "steps": _civil_same_day_steps("ghi Sổ đăng ký khai tử"),
                "eform": _death_form(),
            },
            {
                "code": "TH2",
                "name": "Đăng ký khai tử phải xác minh",
                "time_limit": ["working_day", 3],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": ["Trích lục khai tử (bản chính)"],
                "components": _death_components(),
                "fees": [_fee("le_phi", "Lệ phí đăng ký khai tử đúng hạn (miễn)", 0, "exempt")],
                "steps": _civil_verification_steps(3, "ghi Sổ đăng ký khai tử"),
                "eform": _death_form(),
            },
        ],
    },
    # 9 -------------------------------------------------------------------------------------------
    {
        "code": "2.002913",
        "name": "Liên thông điện tử: đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, "
        "trợ cấp mai táng",
        "field": "LIENTHONG",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Luật Hộ tịch 2014; Luật Cư trú 2020; Luật Bảo hiểm xã hội 2024; "
        "Nghị định 63/2024/NĐ-CP; Nghị định 118/2025/NĐ-CP",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính liên thông (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Có đề nghị hưởng chế độ tử tuất, mai táng của bảo hiểm xã hội",
                "time_limit": ["working_day", 9],
                "online_time_limit": None,
                "same_day_cutoff": "15:00",
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": [
                    "Trích lục khai tử điện tử",
                    "Thông báo xóa đăng ký thường trú",
                    "Quyết định hưởng chế độ tử tuất, trợ cấp mai táng",
                ],
                "components": [
                    _comp(
                        "Tờ khai điện tử liên thông",
                        "Người thân khai trên Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID; thông tin của "
                        "người mất và người khai được điền sẵn từ Cơ sở dữ liệu quốc gia về dân cư.",
                        originals=1,
                    ),
                    _comp(
                        "Giấy báo tử hoặc giấy tờ thay Giấy báo tử (bản điện tử hoặc bản chụp)",
                        "Chụp rõ nét Giấy báo tử do bệnh viện hoặc Ủy ban nhân dân xã cấp và đính kèm. Nếu "
                        "bệnh viện đã gửi dữ liệu điện tử thì không cần đính kèm.",
                        photocopies=1,
                    ),
                    _comp(
                        "Giấy tờ của thân nhân đề nghị trợ cấp tuất hằng tháng (nếu có)",
                        "Chỉ cần khi thân nhân đề nghị hưởng trợ cấp tuất hằng tháng, ví dụ biên bản giám "
                        "định mức suy giảm khả năng lao động. Cơ quan bảo hiểm xã hội sẽ hướng dẫn cụ thể.",
                        photocopies=1,
                        required=False,
                    ),
                ],
                "fees": [
                    _fee(
                        "le_phi",
                        "Lệ phí theo từng thủ tục thành phần (khai tử đúng hạn được miễn)",
                        0,
                        "exempt",
                    ),
                ],
                "steps": [
                    _step("Tiếp nhận hồ sơ từ Cổng Dịch vụ công quốc gia, kiểm tra", "one_stop_officer", 2),
                    _step("Công chức tư pháp - hộ tịch đăng ký khai tử", "specialist", 8),
                    _step("Lãnh đạo Ủy ban nhân dân xã ký trích lục khai tử", "head_of_agency", 2),
                    _step("Công an xã xóa đăng ký thường trú", "specialist", 14),
                    _step("Cơ quan bảo hiểm xã hội giải quyết chế độ tử tuất, mai táng", "specialist", 40),
                    _step("Trả kết quả điện tử, thông báo cho người yêu cầu", "clerk", 4),
                    _step("Trả kết quả bản giấy (nếu có yêu cầu)", "one_stop_officer", 2),
                ],
                "eform": _form(
                    "Tờ khai điện tử liên thông khai tử, xóa thường trú, tử tuất, mai táng",
                    {
                        "ho_ten_nguoi_yeu_cau": _text("Họ, chữ đệm, tên người yêu cầu"),
                        "so_dinh_danh_nguoi_yeu_cau": _pid("Số định danh cá nhân của người yêu cầu"),
                        "quan_he_voi_nguoi_mat": _text("Quan hệ với người đã mất", 50),
                        "ho_ten_nguoi_mat": _text("Họ, chữ đệm, tên người đã mất"),
                        "so_dinh_danh_nguoi_mat": _pid("Số định danh cá nhân của người đã mất"),
                        "ngay_mat": _date("Ngày mất"),
                        "noi_mat": _text("Nơi mất", 255),
                        "de_nghi_tro_cap_tuat_hang_thang": _bool("Đề nghị trợ cấp tuất hằng tháng"),
                        "so_tai_khoan_nhan_tien": _text(
                            "Số tài khoản ngân hàng nhận tiền", 30, "Để trống nếu muốn nhận tiền mặt."
                        ),
                    },
                    [
                        "ho_ten_nguoi_yeu_cau",
                        "so_dinh_danh_nguoi_yeu_cau",
                        "quan_he_voi_nguoi_mat",
                        "ho_ten_nguoi_mat",
                        "so_dinh_danh_nguoi_mat",
                        "ngay_mat",
                        "noi_mat",
                    ],
                ),
            },
        ],
    },
    # 10 ------------------------------------------------------------------------------------------
    {
        "code": "2.000815",
        "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
        "field": "CHUNGTHUC",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC (phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tư pháp (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Chứng thực bản sao từ bản chính",
                "time_limit": ["same_day", None],
                "online_time_limit": None,
                "same_day_cutoff": "15:00",
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Bản sao có chứng thực"],
                "components": [
                    _comp(
                        "Bản chính giấy tờ, văn bản cần chứng thực",
                        "Mang bản chính (ví dụ bằng tốt nghiệp, giấy khai sinh) để cán bộ đối chiếu. Bản "
                        "chính được trả lại ngay sau khi đối chiếu.",
                        originals=1,
                    ),
                    _comp(
                        "Bản sao cần chứng thực",
                        "Bạn có thể tự photo trước, đủ các trang và rõ chữ. Nếu không có, bộ phận một cửa "
                        "chụp giúp (có thể phải trả tiền chụp).",
                        photocopies=1,
                    ),
                ],
                "fees": [
                    _fee(
                        "phi",
                        "Phí chứng thực bản sao: 2.000 đồng/trang cho trang thứ nhất và thứ hai; từ trang thứ "
                        "ba trở đi 1.000 đồng/trang; tối đa 200.000 đồng/bản",
                        2000,
                        "prepaid",
                    )
                ],
                "steps": _certification_steps("Đối chiếu bản sao với bản chính, ghi lời chứng"),
                "eform": _form(
                    "Yêu cầu chứng thực bản sao từ bản chính",
                    {
                        "ho_ten_nguoi_yeu_cau": _text("Họ, chữ đệm, tên người yêu cầu"),
                        "so_dien_thoai": _text("Số điện thoại liên hệ", 15),
                        "ten_giay_to": _text(
                            "Tên giấy tờ cần chứng thực", 200, "Ví dụ: Bằng tốt nghiệp đại học."
                        ),
                        "co_quan_cap": _text("Cơ quan cấp bản chính", 200),
                        "so_trang": _int("Số trang của bản chính", 1, 1000),
                        "so_ban": _int("Số bản sao cần chứng thực", 1, 100),
                    },
                    ["ho_ten_nguoi_yeu_cau", "ten_giay_to", "so_trang", "so_ban"],
                ),
            },
        ],
    },
    # 11 ------------------------------------------------------------------------------------------
    {
        "code": "2.000884",
        "name": "Chứng thực chữ ký trong giấy tờ, văn bản",
        "field": "CHUNGTHUC",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC (phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tư pháp (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Chứng thực chữ ký (kể cả điểm chỉ)",
                "time_limit": ["same_day", None],
                "online_time_limit": None,
                "same_day_cutoff": "15:00",
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Giấy tờ, văn bản đã được chứng thực chữ ký"],
                "components": [
                    _comp(
                        "Giấy tờ, văn bản cần chứng thực chữ ký",
                        "Ví dụ đơn, giấy cam kết, giấy ủy quyền không có thù lao. Bạn phải ký trước mặt người "
                        "thực hiện chứng thực, vì vậy đừng ký sẵn ở nhà.",
                        originals=1,
                    ),
                    _comp(
                        "Giấy tờ tùy thân của người ký",
                        "Mang thẻ căn cước hoặc hộ chiếu còn hạn (bản chính) để đối chiếu, không phải nộp.",
                        national_data=True,
                    ),
                ],
                "fees": [_fee("phi", "Phí chứng thực chữ ký: 10.000 đồng/trường hợp", 10000, "prepaid")],
                "steps": _certification_steps("Kiểm tra giấy tờ, chứng kiến việc ký, ghi lời chứng"),
                "eform": _form(
                    "Yêu cầu chứng thực chữ ký",
                    {
                        "ho_ten_nguoi_ky": _text("Họ, chữ đệm, tên người ký"),
                        "so_dinh_danh_nguoi_ky": _pid("Số định danh cá nhân của người ký"),
                        "ten_giay_to": _text("Tên giấy tờ, văn bản cần chứng thực chữ ký", 200),
                        "so_ban": _int("Số bản cần chứng thực", 1, 100),
                        "diem_chi": _bool(
                            "Điểm chỉ thay cho chữ ký",
                            "Chọn nếu người yêu cầu không ký được và sẽ điểm chỉ.",
                        ),
                    },
                    ["ho_ten_nguoi_ky", "so_dinh_danh_nguoi_ky", "ten_giay_to", "so_ban"],
                ),
            },
        ],
    },
    # 12 ------------------------------------------------------------------------------------------
    {
        "code": "2.000908",
        "name": "Cấp bản sao từ sổ gốc",
        "field": "CHUNGTHUC",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tư pháp (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Cấp bản sao từ sổ gốc",
                "time_limit": ["same_day", None],
                "online_time_limit": None,
                "same_day_cutoff": "15:00",
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Bản sao từ sổ gốc"],
                "components": [
                    _comp(
                        "Đơn đề nghị cấp bản sao từ sổ gốc",
                        "Ghi rõ giấy tờ cần cấp bản sao (ví dụ Giấy khai sinh), năm cấp và số bản cần. Lấy mẫu "
                        "tại bộ phận một cửa hoặc khai trực tuyến.",
                        originals=1,
                    ),
                    _id_papers(),
                    _comp(
                        "Giấy tờ chứng minh quan hệ với người được cấp bản chính (nếu xin thay cho người thân)",
                        "Cha, mẹ, con, vợ, chồng, anh, chị, em ruột hoặc người thừa kế của người được cấp bản "
                        "chính mang giấy tờ chứng minh quan hệ, ví dụ Giấy khai sinh. Không cần nếu quan hệ đã "
                        "có trong Cơ sở dữ liệu quốc gia về dân cư.",
                        originals=1,
                        national_data=True,
                        required=False,
                    ),
                    _authorisation(),
                ],
                "fees": [],
                "steps": [
                    _step("Tiếp nhận yêu cầu, kiểm tra giấy tờ", "one_stop_officer", 0.5),
                    _step("Tra cứu sổ gốc, lập bản sao", "specialist", 1.5),
                    _step("Lãnh đạo Ủy ban nhân dân xã ký bản sao", "head_of_agency", 0.5),
                    _step("Đóng dấu, ghi sổ cấp bản sao", "clerk", 0.5),
                    _step("Trả kết quả", "one_stop_officer", 0.5),
                ],
                "eform": _form(
                    "Đề nghị cấp bản sao từ sổ gốc",
                    {
                        "ho_ten_nguoi_yeu_cau": _text("Họ, chữ đệm, tên người yêu cầu"),
                        "so_dinh_danh_nguoi_yeu_cau": _pid("Số định danh cá nhân của người yêu cầu"),
                        "quan_he": _choice(
                            "Quan hệ với người được cấp bản chính",
                            [
                                "Chính là người được cấp bản chính",
                                "Cha, mẹ, con, vợ, chồng, anh, chị, em ruột",
                                "Người đại diện theo pháp luật hoặc theo ủy quyền",
                            ],
                        ),
                        "ten_giay_to": _text("Tên giấy tờ cần cấp bản sao", 200),
                        "nam_cap_ban_chinh": _int("Năm cấp bản chính", 1900, 2100),
                        "so_ban_sao": _int("Số bản sao cần cấp", 1, 20),
                    },
                    [
                        "ho_ten_nguoi_yeu_cau",
                        "so_dinh_danh_nguoi_yeu_cau",
                        "quan_he",
                        "ten_giay_to",
                        "so_ban_sao",
                    ],
                ),
            },
        ],
    },
    # 13 ------------------------------------------------------------------------------------------
    {
        "code": "1.001612",
        "name": "Đăng ký thành lập hộ kinh doanh",
        "field": "DKKD",
        "level": "commune",
        "agency_kind": "division",
        "legal_basis": "Luật Doanh nghiệp 2020; Nghị định 168/2025/NĐ-CP; Thông tư 85/2019/TT-BTC; "
        "nghị quyết của Hội đồng nhân dân tỉnh về lệ phí",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tài chính (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đăng ký thành lập hộ kinh doanh",
                "time_limit": ["working_day", 3],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": "17:00",
                "online_level": "full",
                "result_documents": ["Giấy chứng nhận đăng ký hộ kinh doanh"],
                "components": [
                    _comp(
                        "Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)",
                        "Khai tên hộ kinh doanh, địa chỉ, ngành nghề, số vốn và thông tin chủ hộ. Nộp trực "
                        "tuyến thì điền trên hệ thống, đăng nhập bằng tài khoản VNeID.",
                        originals=1,
                    ),
                    _comp(
                        "Giấy tờ tùy thân của chủ hộ và các thành viên hộ gia đình cùng đăng ký",
                        "Chỉ cần cung cấp số định danh cá nhân; cán bộ tra cứu trong Cơ sở dữ liệu quốc gia "
                        "về dân cư.",
                        national_data=True,
                    ),
                    _comp(
                        "Biên bản họp thành viên hộ gia đình về việc đăng ký hộ kinh doanh",
                        "Chỉ cần khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh: ghi rõ ai là chủ "
                        "hộ và chữ ký của các thành viên.",
                        photocopies=1,
                        required=False,
                    ),
                    _comp(
                        "Văn bản ủy quyền của các thành viên cho một người làm chủ hộ kinh doanh",
                        "Chỉ cần khi các thành viên hộ gia đình cùng đăng ký và cử một người đứng tên.",
                        originals=1,
                        required=False,
                    ),
                ],
                "fees": [
                    _fee(
                        "le_phi",
                        "Lệ phí đăng ký hộ kinh doanh (mức do Hội đồng nhân dân tỉnh quyết định)",
                        100000,
                        "prepaid",
                    )
                ],
                "steps": [
                    _step("Tiếp nhận, kiểm tra hồ sơ", "one_stop_officer", 1),
                    _step(
                        "Chuyên viên phòng kinh tế thẩm định hồ sơ, kiểm tra tên hộ kinh doanh",
                        "specialist",
                        16,
                    ),
                    _step("Lãnh đạo phòng ký Giấy chứng nhận đăng ký hộ kinh doanh", "head_of_division", 4),
                    _step("Văn thư vào sổ, cập nhật hệ thống thông tin hộ kinh doanh", "clerk", 2),
                    _step("Trả kết quả", "one_stop_officer", 1),
                ],
                "eform": _form(
                    "Giấy đề nghị đăng ký hộ kinh doanh",
                    {
                        "ten_ho_kinh_doanh": _text("Tên hộ kinh doanh", 200),
                        "dia_chi_kinh_doanh": _text("Địa chỉ trụ sở hộ kinh doanh", 255),
                        "nganh_nghe": _text("Ngành, nghề kinh doanh", 500),
                        "von_kinh_doanh": _int("Vốn kinh doanh (đồng)", 0),
                        "so_lao_dong": _int("Số lao động dự kiến", 0, 10000),
                        "ho_ten_chu_ho": _text("Họ, chữ đệm, tên chủ hộ kinh doanh"),
                        "so_dinh_danh_chu_ho": _pid("Số định danh cá nhân của chủ hộ"),
                        "so_dien_thoai": _text("Số điện thoại liên hệ", 15),
                    },
                    [
                        "ten_ho_kinh_doanh",
                        "dia_chi_kinh_doanh",
                        "nganh_nghe",
                        "von_kinh_doanh",
                        "ho_ten_chu_ho",
                        "so_dinh_danh_chu_ho",
                    ],
                ),
            },
        ],
    },
    # 14 ------------------------------------------------------------------------------------------
    {
        "code": "1.000955",
        "name": "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
        "field": "DKKD",
        "level": "province",
        "agency_kind": "department",
        "legal_basis": "Luật Doanh nghiệp 2020; Nghị định 168/2025/NĐ-CP; Thông tư 47/2019/TT-BTC (phí, lệ phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Tài chính (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
                "time_limit": ["working_day", 3],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": ["Giấy chứng nhận đăng ký doanh nghiệp"],
                "components": [
                    _comp(
                        "Giấy đề nghị đăng ký doanh nghiệp (theo mẫu)",
                        "Khai tên công ty, địa chỉ trụ sở, ngành nghề, vốn điều lệ và người đại diện theo "
                        "pháp luật. Người đại diện theo pháp luật ký tên.",
                        originals=1,
                    ),
                    _comp(
                        "Điều lệ công ty",
                        "Bản quy định cách công ty hoạt động (góp vốn, chia lợi nhuận, ai điều hành). Các "
                        "thành viên và người đại diện theo pháp luật cùng ký.",
                        originals=1,
                    ),
                    _comp(
                        "Danh sách thành viên",
                        "Lập theo mẫu: họ tên, số định danh, phần vốn góp và thời hạn góp của từng thành viên.",
                        originals=1,
                    ),
                    _comp(
                        "Giấy tờ pháp lý của cá nhân là thành viên và người đại diện theo pháp luật",
                        "Với công dân Việt Nam chỉ cần ghi số định danh cá nhân; cơ quan đăng ký tự tra cứu. "
                        "Người nước ngoài nộp bản sao hộ chiếu.",
                        national_data=True,
                    ),
                    _comp(
                        "Giấy tờ pháp lý của tổ chức là thành viên (nếu có)",
                        "Bản sao quyết định thành lập hoặc giấy chứng nhận đăng ký doanh nghiệp của tổ chức "
                        "góp vốn, kèm văn bản cử người đại diện phần vốn góp.",
                        photocopies=1,
                        required=False,
                    ),
                    _authorisation(),
                ],
                "fees": [
                    _fee(
                        "le_phi",
                        "Lệ phí đăng ký doanh nghiệp (miễn khi nộp trực tuyến)",
                        50000,
                        "prepaid",
                        online_amount=0,
                    ),
                    _fee("phi", "Phí công bố nội dung đăng ký doanh nghiệp", 100000, "prepaid"),
                ],
                "steps": [
                    _step(
                        "Tiếp nhận, kiểm tra hồ sơ trên Hệ thống thông tin quốc gia về đăng ký doanh nghiệp",
                        "one_stop_officer",
                        1,
                    ),
                    _step(
                        "Chuyên viên Phòng Đăng ký kinh doanh thẩm định hồ sơ, tên doanh nghiệp",
                        "specialist",
                        15,
                    ),
                    _step("Lãnh đạo Phòng Đăng ký kinh doanh ký Giấy chứng nhận", "head_of_division", 4),
                    _step("Cấp mã số doanh nghiệp, in và vào sổ", "clerk", 3),
                    _step("Trả kết quả", "one_stop_officer", 1),
                ],
                "eform": _form(
                    "Giấy đề nghị đăng ký công ty trách nhiệm hữu hạn hai thành viên trở lên",
                    {
                        "ten_cong_ty": _text("Tên công ty viết bằng tiếng Việt", 255),
                        "dia_chi_tru_so": _text("Địa chỉ trụ sở chính", 255),
                        "nganh_nghe_chinh": _text("Ngành, nghề kinh doanh chính", 500),
                        "von_dieu_le": _int("Vốn điều lệ (đồng)", 0),
                        "so_thanh_vien": _int("Số thành viên", 2, 50),
                        "ho_ten_nguoi_dai_dien": _text("Họ, chữ đệm, tên người đại diện theo pháp luật"),
                        "so_dinh_danh_nguoi_dai_dien": _pid("Số định danh cá nhân của người đại diện"),
                        "so_dien_thoai": _text("Số điện thoại liên hệ", 15),
                        "thu_dien_tu": _text("Thư điện tử", 100),
                    },
                    [
                        "ten_cong_ty",
                        "dia_chi_tru_so",
                        "nganh_nghe_chinh",
                        "von_dieu_le",
                        "so_thanh_vien",
                        "ho_ten_nguoi_dai_dien",
                        "so_dinh_danh_nguoi_dai_dien",
                    ],
                ),
            },
        ],
    },
    # 15 ------------------------------------------------------------------------------------------
    {
        "code": "1.013225",
        "name": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "field": "XAYDUNG",
        "level": "commune",
        "agency_kind": "commune_committee",
        "legal_basis": "Luật Xây dựng 2014 (sửa đổi, bổ sung 2020); Nghị định 175/2024/NĐ-CP; "
        "nghị quyết của Hội đồng nhân dân tỉnh về lệ phí",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Xây dựng (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Xây dựng mới nhà ở riêng lẻ",
                "time_limit": ["calendar_day", 15],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "partial",
                "result_documents": ["Giấy phép xây dựng kèm bản vẽ thiết kế có đóng dấu"],
                "components": [
                    _comp(
                        "Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)",
                        "Khai thông tin chủ nhà, vị trí lô đất, diện tích, số tầng, chiều cao dự kiến. Lấy mẫu "
                        "tại bộ phận một cửa hoặc khai trực tuyến.",
                        originals=1,
                    ),
                    _comp(
                        "Giấy tờ hợp pháp về quyền sử dụng đất",
                        'Thường là Giấy chứng nhận quyền sử dụng đất ("sổ đỏ", "sổ hồng"). Nộp bản sao có '
                        "chứng thực, hoặc bản photo kèm bản chính để cán bộ đối chiếu.",
                        certified_copies=1,
                    ),
                    _comp(
                        "Hai bộ bản vẽ thiết kế xây dựng",
                        "Gồm mặt bằng vị trí trên lô đất, mặt bằng các tầng, mặt đứng, mặt cắt, móng và sơ đồ "
                        "đấu nối điện, nước, thoát nước. Nên nhờ đơn vị thiết kế có năng lực lập bản vẽ.",
                        originals=2,
                    ),
                    _comp(
                        "Bản cam kết bảo đảm an toàn đối với công trình liền kề",
                        "Chỉ cần khi nhà xây sát nhà bên cạnh: bạn cam kết tự chịu trách nhiệm nếu việc xây "
                        "dựng gây hư hại cho nhà liền kề.",
                        originals=1,
                        required=False,
                    ),
                ],
                "fees": [
                    _fee(
                        "le_phi",
                        "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ (mức do Hội đồng nhân dân tỉnh quyết định)",
                        75000,
                        "postpaid",
                    )
                ],
                "steps": [
                    _step("Tiếp nhận, kiểm tra hồ sơ", "one_stop_officer", 4),
                    _step(
                        "Công chức địa chính - xây dựng thẩm định hồ sơ, kiểm tra thực địa", "specialist", 56
                    ),
                    _step("Lãnh đạo phòng chuyên môn xem xét, trình ký", "head_of_division", 12),
                    _step("Lãnh đạo Ủy ban nhân dân xã ký giấy phép", "head_of_agency", 8),
                    _step("Văn thư đóng dấu, vào sổ", "clerk", 4),
                    _step("Trả giấy phép, thu lệ phí", "one_stop_officer", 4),
                ],
                "eform": _form(
                    "Đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ",
                    {
                        "ho_ten_chu_dau_tu": _text("Họ, chữ đệm, tên chủ đầu tư (chủ nhà)"),
                        "so_dinh_danh": _pid(),
                        "so_dien_thoai": _text("Số điện thoại liên hệ", 15),
                        "dia_diem_xay_dung": _text(
                            "Địa điểm xây dựng", 255, "Số nhà, đường, thôn/tổ dân phố, xã."
                        ),
                        "so_thua_to_ban_do": _text("Số thửa đất, tờ bản đồ", 50),
                        "dien_tich_xay_dung": _number("Diện tích xây dựng tầng một (m²)"),
                        "tong_dien_tich_san": _number("Tổng diện tích sàn (m²)"),
                        "so_tang": _int("Số tầng", 1, 50),
                        "chieu_cao": _number("Chiều cao công trình (m)"),
                    },
                    [
                        "ho_ten_chu_dau_tu",
                        "so_dinh_danh",
                        "dia_diem_xay_dung",
                        "so_thua_to_ban_do",
                        "dien_tich_xay_dung",
                        "tong_dien_tich_san",
                        "so_tang",
                        "chieu_cao",
                    ],
                ),
            },
        ],
    },
    # 16 ------------------------------------------------------------------------------------------
    {
        "code": "1.002809",
        "name": "Đổi giấy phép lái xe",
        "field": "DUONGBO",
        "level": "province",
        "agency_kind": "vertical_agency",
        "legal_basis": "Luật Trật tự, an toàn giao thông đường bộ 2024; thông tư của Bộ Công an về cấp, đổi giấy "
        "phép lái xe (cần đối chiếu); Thông tư 37/2023/TT-BTC (lệ phí)",
        "version": {
            "number": 1,
            "effective_from": "2025-07-01",
            "decision": "Quyết định công bố thủ tục hành chính của Bộ Công an (số hiệu: cần đối chiếu)",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
                "time_limit": ["working_day", 5],
                "online_time_limit": None,
                "same_day_cutoff": None,
                "online_cutoff": None,
                "online_level": "full",
                "result_documents": ["Giấy phép lái xe mới (nhận trực tiếp hoặc qua bưu chính)"],
                "components": [
                    _comp(
                        "Đơn đề nghị đổi giấy phép lái xe (theo mẫu)",
                        "Khai trên Cổng Dịch vụ công quốc gia, ứng dụng VNeID hoặc lấy mẫu tại nơi tiếp nhận.",
                        originals=1,
                    ),
                    _comp(
                        "Giấy khám sức khỏe của người lái xe",
                        "Do cơ sở y tế đủ điều kiện cấp, còn thời hạn. Nếu cơ sở y tế đã gửi dữ liệu điện tử "
                        "lên hệ thống thì không cần nộp bản giấy.",
                        originals=1,
                        national_data=True,
                    ),
                    _comp(
                        "Giấy phép lái xe đang sử dụng",
                        "Mang bản chính giấy phép lái xe cũ để đối chiếu và nộp lại khi nhận giấy phép mới.",
                        originals=1,
                    ),
                    _id_papers(),
                ],
                "fees": [_fee("le_phi", "Lệ phí cấp, đổi giấy phép lái xe", 135000, "prepaid")],
                "steps": [
                    _step("Tiếp nhận, kiểm tra hồ sơ", "one_stop_officer", 2),
                    _step(
                        "Cán bộ tra cứu dữ liệu giấy phép, sức khỏe, vi phạm; lập hồ sơ đổi", "specialist", 24
                    ),
                    _step("Lãnh đạo phòng duyệt", "head_of_division", 6),
                    _step("In giấy phép lái xe, vào sổ", "clerk", 6),
                    _step("Trả giấy phép hoặc chuyển bưu chính", "one_stop_officer", 2),
                ],
                "eform": _form(
                    "Đơn đề nghị đổi giấy phép lái xe",
                    {
                        "ho_ten": _text("Họ, chữ đệm và tên"),
                        "ngay_sinh": _date("Ngày sinh"),
                        "so_dinh_danh": _pid(),
                        "so_giay_phep": _text("Số giấy phép lái xe đang sử dụng", 20),
                        "hang_giay_phep": _text("Hạng giấy phép", 10, "Ví dụ: A1, B2, C."),
                        "ngay_het_han": _date("Ngày hết hạn của giấy phép đang sử dụng"),
                        "hinh_thuc_nhan": _choice(
                            "Hình thức nhận giấy phép mới", ["Trực tiếp", "Qua bưu chính"]
                        ),
                        "dia_chi_nhan": _text("Địa chỉ nhận qua bưu chính", 255),
                    },
                    [
                        "ho_ten",
                        "ngay_sinh",
                        "so_dinh_danh",
                        "so_giay_phep",
                        "hang_giay_phep",
                        "hinh_thuc_nhan",
                    ],
                ),
            },
        ],
    },
]


# --------------------------------------------------------------------------------------------------
# What still has to be checked (procedure code -> what is unverified): what the sources in the module's
# docstring did not confirm, plus choices made while writing this file.
# --------------------------------------------------------------------------------------------------

UNVERIFIED = {
    "1.001193": "thời hạn 3 ngày làm việc của trường hợp phải xác minh (TH2) là lựa chọn của bộ dữ liệu mẫu, "
    'cần đối chiếu; Cổng Dịch vụ công quốc gia ghi thời hạn "1 ngày" thay vì "trong ngày"',
    "3.000722": "mẫu tờ khai điện tử (Mẫu 01 Nghị định 301/2026/NĐ-CP) chưa kiểm chứng; thời hạn chung 3 (5) ngày "
    "làm việc không khớp với tổng thời hạn từng bước (khai sinh 24 giờ, thường trú 2–5 ngày, thẻ bảo hiểm y tế "
    "2 ngày, thẻ căn cước 5 ngày); bước cấp thẻ căn cước chưa đưa vào quy trình nội bộ",
    "1.004194": "mã thủ tục, thời hạn 3 ngày làm việc và mức độ trực tuyến một phần cần đối chiếu",
    "1.010038": "mã thủ tục, thời hạn 5 ngày làm việc và mức độ trực tuyến một phần cần đối chiếu",
    "1.000894": "mã thủ tục, thời hạn 5 ngày làm việc khi phải xác minh và việc miễn lệ phí cần đối chiếu",
    "1.000656": "mã thủ tục, việc miễn lệ phí khi đúng hạn, mức toàn trình và thời hạn 3 ngày làm việc khi "
    "phải xác minh cần đối chiếu",
    "2.002913": "mã thủ tục cần đối chiếu; chỉ biết thời hạn tối đa 9 ngày làm việc cho trường hợp có chế độ bảo "
    "hiểm xã hội, chưa có thời hạn cho trường hợp chỉ khai tử và xóa thường trú",
    "2.000815": "mã thủ tục cần đối chiếu",
    "2.000884": "mã thủ tục cần đối chiếu; chứng thực hợp đồng, giao dịch (tối đa 2 ngày làm việc) là thủ tục "
    "khác, chưa đưa vào",
    "2.000908": "phí cấp bản sao (nếu có) và mức độ trực tuyến cần đối chiếu",
    "1.001612": "mã thủ tục, thời hạn 3 ngày làm việc, lệ phí 100.000 đồng (Hội đồng nhân dân tỉnh quyết định, "
    "có thể giảm khi nộp trực tuyến) và mốc 17:00 cho hồ sơ trực tuyến cần đối chiếu",
    "1.000955": "mã thủ tục, thời hạn 3 ngày làm việc, mức toàn trình và phí công bố 100.000 đồng cần đối chiếu",
    "1.013225": "mã thủ tục (còn gặp 1.009122, 1.004850), thẩm quyền của Ủy ban nhân dân xã, thời hạn 15 ngày "
    "và lệ phí khoảng 75.000 đồng cần đối chiếu",
    "1.002809": "mã thủ tục (còn gặp 1.000010), cơ quan giải quyết sau khi chuyển từ ngành Giao thông vận tải "
    "sang Công an, lệ phí 135.000 đồng và mức toàn trình cần đối chiếu",
}

UNVERIFIED_CODES = frozenset(UNVERIFIED)
