"""Vietnamese translations of the admin's messages: the source of signage/translations/vi.

Run after adding messages: ``python tools/vi_catalog.py`` extracts the message ids,
fills in the Vietnamese below, writes messages.po and compiles messages.mo, and fails
naming every message that has no Vietnamese yet (so none reaches staff in English).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "signage" / "translations" / "vi" / "LC_MESSAGES"

VI: dict[str, str | tuple[str, ...]] = {
    "There is no such address in the API; its operations are listed in /api/openapi.json.":
        "API không có địa chỉ này; các thao tác của API được liệt kê trong /api/openapi.json.",
    "The request could not be understood; nothing was saved.":
        "Không hiểu được yêu cầu này; chưa có gì được lưu.",
    "Your role may not open this page; ask an administrator if you need it.":
        "Vai trò của bạn không được mở trang này; nếu cần, hãy hỏi quản trị viên.",
    "This page does not exist; what it showed may have been deleted.":
        "Trang này không tồn tại; nội dung của nó có thể đã bị xoá.",
    "This address does not take that kind of request.": "Địa chỉ này không nhận loại yêu cầu đó.",
    "Too many attempts; wait a minute and try again.": "Thử quá nhiều lần; hãy đợi một phút rồi thử lại.",
    "Something went wrong on the server and was logged; nothing was saved. Try again, and tell the "
    "administrator if it happens again.":
        "Máy chủ gặp lỗi và lỗi đã được ghi lại; chưa có gì được lưu. Hãy thử lại, và báo quản trị "
        "viên nếu lỗi lặp lại.",
    "The server could not answer this request (error %(code)d).":
        "Máy chủ không trả lời được yêu cầu này (lỗi %(code)d).",
    "Choose a .toml file or a .zip export to upload.": "Hãy chọn tệp .toml hoặc tệp xuất .zip để tải lên.",
    "This form has expired or did not come from this admin; reload the page and try again. Nothing was saved.":
        "Biểu mẫu này đã hết hạn hoặc không phải từ trang quản trị này; hãy tải lại trang và thử lại. "
        "Chưa có gì được lưu.",
    "the slogan is empty": "khẩu hiệu đang trống",
    "the slogan has %(count)d characters; at most %(limit)d fit a board item":
        "khẩu hiệu dài %(count)d ký tự; một mục trên bảng chỉ nhận tối đa %(limit)d",
    "unknown effect %(value)r; use one of %(known)s": "hiệu ứng %(value)r không có; hãy chọn một trong %(known)s",
    "speed %(value)r px/s is outside 1..1000": "tốc độ %(value)r px/giây nằm ngoài 1..1000",
    "colour %(value)r is not of the form #rrggbb": "màu %(value)r không đúng dạng #rrggbb",
    "%(value)r is not a slug: lowercase letters, digits and '-', at most 40":
        "%(value)r không phải mã hợp lệ: chỉ chữ thường, chữ số và '-', tối đa 40 ký tự",
    "unknown colour model %(value)r; use one of %(known)s": "kiểu màu %(value)r không có; hãy chọn một trong %(known)s",
    "width and height are required": "cần nhập chiều rộng và chiều cao",
    "board width %(value)d px is outside %(low)d..%(high)d px":
        "chiều rộng bảng %(value)d px nằm ngoài %(low)d..%(high)d px",
    "board height %(value)d px is outside %(low)d..%(high)d px":
        "chiều cao bảng %(value)d px nằm ngoài %(low)d..%(high)d px",
    "%(problem)s": "%(problem)s",
    "unknown protocol %(value)r; use one of %(known)s": "giao thức %(value)r không có; hãy chọn một trong %(known)s",
    "the port is empty": "chưa nhập cổng",
    "the port cannot be used: %(problem)s": "không dùng được cổng này: %(problem)s",
    "baud %(value)r is not a standard rate (%(known)s)": "tốc độ baud %(value)r không phải giá trị chuẩn (%(known)s)",
    "duration %(value)r s is outside 1..3600 s": "thời lượng %(value)r giây nằm ngoài 1..3600 giây",
    "Too many failed logins; please try again in a few minutes.":
        "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau ít phút.",
    "Wrong username or password.": "Sai tên đăng nhập hoặc mật khẩu.",
    "Please log in to continue.": "Vui lòng đăng nhập để tiếp tục.",
    "— none —": "— chưa chọn —",
    "This slug is already used by another board.": "Mã bảng này đã được dùng.",
    "Board saved.": "Đã lưu bảng.",
    "Username": "Tên đăng nhập",
    "Password": "Mật khẩu",
    "Log in": "Đăng nhập",
    "Slogan text": "Nội dung khẩu hiệu",
    "Effect": "Hiệu ứng",
    "Speed (px/s)": "Tốc độ (px/giây)",
    "Colour": "Màu",
    "Add to playlist": "Thêm vào danh sách phát",
    "Duration (s)": "Thời lượng (giây)",
    "Save": "Lưu",
    "Board slug": "Mã bảng (slug)",
    "Board name": "Tên bảng",
    "Width (px)": "Chiều rộng (px)",
    "Height (px)": "Chiều cao (px)",
    "Protocol": "Giao thức",
    "Port (device or pyserial URL)": "Cổng (thiết bị hoặc URL pyserial)",
    "Baud rate": "Tốc độ baud",
    "RS-485 address": "Địa chỉ RS-485",
    "Playlist": "Danh sách phát",
    "the address must be 0..254": "địa chỉ phải trong khoảng 0..254",
    "Playlist name": "Tên danh sách phát",
    "Create": "Tạo",
    "Slogan": "Khẩu hiệu",
    "Add": "Thêm",
    "A playlist with this name exists already.": "Đã có danh sách phát cùng tên.",
    "Removed from the playlist.": "Đã bỏ khỏi danh sách phát.",
    "Saved, but not yet sent to the boards (Redis does not answer). The boards keep playing what they had; "
    "try again.": "Đã lưu, nhưng chưa gửi được tới bảng (Redis không trả lời). Bảng vẫn phát nội dung cũ; "
                  "hãy thử lại.",
    "Sent to the boards: %(boards)s": "Đã gửi tới bảng: %(boards)s",
    "— do not add —": "— không thêm —",
    "Slogan saved.": "Đã lưu khẩu hiệu.",
    "Slogan deleted.": "Đã xoá khẩu hiệu.",
    "Electronic board": "Bảng điện tử",
    "Border gate electronic board": "Bảng điện tử cửa khẩu",
    "Overview": "Tổng quan",
    "Slogans": "Khẩu hiệu",
    "Playlists": "Danh sách phát",
    "Boards": "Bảng",
    "Log out": "Đăng xuất",
    "Overview of the boards": "Tổng quan các bảng",
    "What board %(slug)s is showing": "Bảng %(slug)s đang hiển thị",
    "Status": "Trạng thái",
    "playing": "đang phát",
    "not playing": "không phát",
    "Link": "Đường truyền",
    "Now playing": "Đang phát",
    "Heartbeat": "Nhịp tim",
    "%(seconds)s s ago": "%(seconds)s giây trước",
    "Error": "Lỗi",
    "No boards yet.": "Chưa có bảng nào.",
    "Add a board": "Thêm bảng",
    "Edit the board": "Sửa bảng",
    "Edit board %(slug)s": "Sửa bảng %(slug)s",
    "Electronic boards": "Bảng điện tử",
    "Slug": "Mã",
    "Name": "Tên",
    "Size": "Kích thước",
    "Port": "Cổng",
    "Baud": "Baud",
    "Edit": "Sửa",
    "%(num)d item": ("%(num)d mục",),
    "%(seconds)d s": "%(seconds)d giây",
    "No playlists yet.": "Chưa có danh sách phát.",
    "Playlist: %(name)s": "Danh sách phát: %(name)s",
    "Total length: %(seconds)d s": "Tổng thời lượng: %(seconds)d giây",
    "Item": "Mục",
    "Duration": "Thời lượng",
    "%(seconds)s s": "%(seconds)s giây",
    "↑ Up": "↑ Lên",
    "↓ Down": "↓ Xuống",
    "Remove": "Bỏ",
    "The playlist is empty.": "Danh sách trống.",
    "Add a slogan": "Thêm khẩu hiệu",
    "Edit the slogan": "Sửa khẩu hiệu",
    "Write a slogan": "Viết khẩu hiệu",
    "Preview on the board": "Xem trước trên bảng",
    "The slogan as the board will show it": "Khẩu hiệu như sẽ hiện trên bảng",
    "See it move (GIF)": "Xem chuyển động (GIF)",
    "Write a new slogan": "Viết khẩu hiệu mới",
    "Search": "Tìm kiếm",
    "Find": "Tìm",
    "Text": "Nội dung",
    "Speed": "Tốc độ",
    "Delete": "Xoá",
    "No slogans yet.": "Chưa có khẩu hiệu.",
    "Audit log": "Nhật ký thay đổi",
    "Table": "Bảng dữ liệu",
    "User": "Người dùng",
    "When": "Thời điểm",
    "Action": "Thao tác",
    "Before": "Trước",
    "After": "Sau",
    "Nothing recorded yet.": "Chưa có thay đổi nào.",
    "Newer": "Mới hơn",
    "Banners": "Băng rôn, pano",
    "Upload a banner": "Tải lên băng rôn",
    "On the board": "Trên bảng",
    "Image": "Hình ảnh",
    "Fit": "Cách khớp khung",
    "No banners yet.": "Chưa có băng rôn nào.",
    "PNG, JPEG, GIF (animated too) or WebP, at most 16 MB. The preview shows it at the board's size and colours.":
        "PNG, JPEG, GIF (cả ảnh động) hoặc WebP, tối đa 16 MB. Bản xem trước hiện đúng kích thước và màu của bảng.",
    "PNG, JPEG, GIF or WebP only.": "Chỉ nhận PNG, JPEG, GIF hoặc WebP.",
    "Banner saved.": "Đã lưu băng rôn.",
    "Banner deleted.": "Đã xoá băng rôn.",
    "This image is already here as banner %(name)s.": "Ảnh này đã có, là băng rôn %(name)s.",
    "or a banner": "hoặc một băng rôn",
    "Choose a slogan or a banner (one of them).": "Hãy chọn một khẩu hiệu hoặc một băng rôn (chỉ một).",
    "Add a slogan or a banner": "Thêm khẩu hiệu hoặc băng rôn",
    "The file is larger than %(mb)d MB; nothing was saved.": "Tệp lớn hơn %(mb)d MB; chưa lưu gì.",
    "Back": "Quay lại",
    "urgent notice": "thông báo khẩn",
    "off hours": "giờ tắt bảng",
    "schedule": "lịch phát",
    "the board's own playlist": "danh sách phát riêng của bảng",
    "nothing to play": "không có gì để phát",
    "Older": "Cũ hơn",
    "Page %(page)d of %(pages)d (%(total)d slogans)": "Trang %(page)d / %(pages)d (%(total)d khẩu hiệu)",
    "Someone else saved this slogan after you opened it. The form now shows their version; make your change again.":
        "Người khác đã lưu khẩu hiệu này sau khi bạn mở. Biểu mẫu đang hiện bản của họ; hãy sửa lại.",
    "Someone else saved this board after you opened it. The form now shows their version; make your change again.":
        "Người khác đã lưu bảng này sau khi bạn mở. Biểu mẫu đang hiện bản của họ; hãy sửa lại.",
    "The playlist was changed by someone else meanwhile; nothing was changed. Here it is as it is now.":
        "Danh sách phát đã được người khác thay đổi trong lúc bạn xem; chưa có gì bị thay đổi. Đây là danh sách hiện tại.",
    # schedules and timelines
    "Schedules": "Lịch phát",
    "Schedule": "Lịch phát",
    "Add a schedule": "Thêm lịch phát",
    "Edit schedule #%(id)s": "Sửa lịch phát #%(id)s",
    "Schedule saved.": "Đã lưu lịch phát.",
    "Schedule deleted.": "Đã xoá lịch phát.",
    "Higher priority wins; at equal priority a board beats a group, a group beats all boards, then the newest "
    "schedule wins. An urgent notice beats every schedule; with nothing scheduled the board plays its own playlist.":
        "Lịch có độ ưu tiên cao hơn được chọn; khi ưu tiên bằng nhau, lịch cho một bảng thắng lịch cho nhóm bảng, "
        "lịch cho nhóm thắng lịch cho tất cả các bảng, sau đó lịch mới nhất được chọn. Thông báo khẩn luôn thắng "
        "mọi lịch phát; khi không có lịch nào, bảng phát danh sách phát riêng của mình.",
    "No schedules yet: every board plays its own playlist.":
        "Chưa có lịch phát: mỗi bảng phát danh sách phát riêng của mình.",
    "Where": "Phạm vi",
    "Dates": "Ngày",
    "Weekdays": "Thứ trong tuần",
    "Daily": "Giờ trong ngày",
    "Priority": "Ưu tiên",
    "Priority (higher wins)": "Độ ưu tiên (số lớn hơn thắng)",
    "all boards": "tất cả các bảng",
    "All boards": "Tất cả các bảng",
    "all day": "cả ngày",
    "— all boards —": "— tất cả các bảng —",
    "— no group —": "— không theo nhóm —",
    "— no phase —": "— không theo giai đoạn —",
    "Board": "Bảng",
    "Board group": "Nhóm bảng",
    "Campaign phase": "Giai đoạn tuyên truyền",
    "From (date)": "Từ ngày",
    "Until (date, inclusive)": "Đến hết ngày",
    "Daily from (HH:MM)": "Hằng ngày từ (HH:MM)",
    "Daily until (HH:MM; before the start: overnight)": "Hằng ngày đến (HH:MM; sớm hơn giờ bắt đầu: qua đêm)",
    "Enabled": "Đang dùng",
    "Mon": "T2",
    "Tue": "T3",
    "Wed": "T4",
    "Thu": "T5",
    "Fri": "T6",
    "Sat": "T7",
    "Sun": "CN",
    "The end date comes before the start date.": "Ngày kết thúc sớm hơn ngày bắt đầu.",
    "Give both daily times, or neither (all day).": "Hãy nhập cả hai giờ trong ngày, hoặc bỏ trống cả hai (cả ngày).",
    "Choose at least one weekday.": "Hãy chọn ít nhất một thứ trong tuần.",
    "Choose a board or a group, not both.": "Hãy chọn một bảng hoặc một nhóm bảng, không chọn cả hai.",
    "Write the time as HH:MM, e.g. 22:00.": "Hãy viết giờ theo dạng HH:MM, ví dụ 22:00.",
    "Playlist %(name)s is empty: this schedule is skipped until it has items.":
        "Danh sách phát %(name)s đang trống: lịch phát này bị bỏ qua cho đến khi danh sách có mục.",
    "Timelines": "Dòng thời gian các bảng",
    "Timeline": "Dòng thời gian",
    "Timeline of %(slug)s": "Dòng thời gian của bảng %(slug)s",
    "days": "ngày",
    "From": "Từ",
    "Until": "Đến",
    "Plays": "Phát",
    "Why": "Lý do",
    "Also matching (lost the tie-break)": "Cũng khớp (thua khi phân định ưu tiên)",
    # board hours and brightness
    "Hours and brightness": "Giờ bật/tắt và độ sáng",
    "hours and brightness": "giờ bật/tắt và độ sáng",
    "Hours and brightness of %(slug)s": "Giờ bật/tắt và độ sáng của bảng %(slug)s",
    "Hours and brightness saved.": "Đã lưu giờ bật/tắt và độ sáng.",
    "Time zone": "Múi giờ",
    "On from (HH:MM; empty: always on)": "Bật từ (HH:MM; để trống: luôn bật)",
    "Off from (HH:MM)": "Tắt từ (HH:MM)",
    "Brightness table: one 'HH:MM percent' a line": "Bảng độ sáng: mỗi dòng một mục 'HH:MM phần trăm'",
    "Unknown time zone; write it like Asia/Ho_Chi_Minh.": "Không rõ múi giờ này; hãy viết theo dạng Asia/Ho_Chi_Minh.",
    "Give both the on and the off time, or neither (always on).":
        "Hãy nhập cả giờ bật và giờ tắt, hoặc bỏ trống cả hai (luôn bật).",
    "Line %(n)d: write 'HH:MM percent' (0-100), each time once.":
        "Dòng %(n)d: hãy viết 'HH:MM phần trăm' (0-100), mỗi mốc giờ chỉ một lần.",
    # urgent notices and proof of play
    "Urgent notices": "Thông báo khẩn",
    "Notice text": "Nội dung thông báo",
    "Starts (local time; empty: now)": "Bắt đầu (giờ địa phương; để trống: ngay bây giờ)",
    "Lasts (minutes)": "Kéo dài (phút)",
    "Or expires at (local time)": "Hoặc hết hạn lúc (giờ địa phương)",
    "Publish the notice now": "Đăng thông báo ngay",
    "Choose the boards, or tick all boards.": "Hãy chọn bảng, hoặc đánh dấu tất cả các bảng.",
    "The notice must expire after it starts.": "Thông báo phải hết hạn sau thời điểm bắt đầu.",
    "This notice would already be over.": "Thời gian của thông báo này đã qua.",
    "Urgent notice saved.": "Đã lưu thông báo khẩn.",
    "Notice cancelled; the boards return to their schedule.": "Đã huỷ thông báo; các bảng trở lại lịch phát.",
    "Dates are written YYYY-MM-DD.": "Ngày phải viết theo dạng YYYY-MM-DD.",
    "Proof of play (CSV)": "Nhật ký phát (CSV)",
    "Starts": "Bắt đầu",
    "Expires": "Hết hạn",
    "State": "Tình trạng",
    "all": "tất cả",
    "cancelled": "đã huỷ",
    "on the boards": "đang hiện trên bảng",
    "expired": "đã hết hạn",
    "scheduled": "chờ phát",
    "Cancel": "Huỷ",
    # import and export
    "Import and export": "Nhập và xuất dữ liệu",
    "Download": "Tải về",
    "Everything staff made (boards, slogans, banners, playlists, campaigns, schedules) in the playlist file format "
    "(docs/playlists.md). The .zip holds the banner images too and can be uploaded here or imported with "
    "\"signage import\".":
        "Toàn bộ nội dung cán bộ đã tạo (bảng, khẩu hiệu, băng rôn, danh sách phát, đợt tuyên truyền, lịch phát) "
        "theo định dạng tệp danh sách phát (docs/playlists.md). Tệp .zip chứa cả hình ảnh băng rôn, có thể tải lên "
        "tại đây hoặc nhập bằng lệnh \"signage import\".",
    "Download .zip (with banners)": "Tải về .zip (kèm băng rôn)",
    "Download only the .toml file": "Chỉ tải về tệp .toml",
    "Upload": "Tải lên",
    "A .toml playlist file, or a .zip export with its banners. Everything is checked first; if anything is wrong "
    "nothing is imported.":
        "Tệp danh sách phát .toml, hoặc tệp xuất .zip kèm băng rôn. Mọi thứ được kiểm tra trước; nếu có gì sai "
        "thì không nhập gì cả.",
    "Nothing was imported:": "Không nhập gì cả:",
    "and %(num)d more problem": ("và %(num)d lỗi khác",),
    "Playlist file (.toml) or export (.zip)": "Tệp danh sách phát (.toml) hoặc tệp xuất (.zip)",
    "Import": "Nhập",
    "%(name)s is larger than %(mb)d MB.": "%(name)s lớn hơn %(mb)d MB.",
    "Imported from %(name)s: %(summary)s.": "Đã nhập từ %(name)s: %(summary)s.",
    "Upload a .toml file or a .zip export.": "Hãy tải lên tệp .toml hoặc tệp xuất .zip.",
    # Proof of play page
    "Proof of play": "Nhật ký phát",
    "One row for every item a board played: when it was planned, when it really ran, and how many frames the board acknowledged.":
        "Mỗi dòng là một mục bảng đã phát: giờ dự kiến, giờ phát thật và số khung hình bảng đã xác nhận.",
    "Export these rows (CSV)": "Xuất các dòng này (CSV)",
    "Source": "Nguồn",
    "Planned start": "Dự kiến bắt đầu",
    "Started": "Bắt đầu",
    "Ended": "Kết thúc",
    "Frames sent / acknowledged": "Khung đã gửi / đã xác nhận",
    "Interrupted": "Bị ngắt",
    "yes": "có",
    "no": "không",
    "either": "tất cả",
    "From (day)": "Từ ngày",
    "To (day, included)": "Đến ngày (tính cả ngày này)",
    "Item contains": "Nội dung có chữ",
    "The last day comes before the first.": "Ngày cuối đứng trước ngày đầu.",
    "Nothing played in this range yet.": "Chưa có gì được phát trong khoảng này.",
    "Page %(page)d of %(pages)d (%(total)d rows)": "Trang %(page)d / %(pages)d (%(total)d dòng)",
    # rq-dashboard mounted read-only for administrators (signage/web/rqdash.py)
    "Queues": "Hàng đợi",
    "The queue view is read-only: nothing was changed. Operators requeue or remove jobs with the rq command line on the server (see docs/operations.md).":
        "Trang hàng đợi chỉ để xem: không có gì bị thay đổi. Người vận hành đưa lại hoặc xoá việc bằng lệnh rq trên máy chủ (xem docs/operations.md).",
    "Read-only view for administrators. To requeue or remove jobs, use the rq command line on the server (see docs/operations.md).":
        "Trang chỉ để xem, dành cho quản trị viên. Muốn đưa lại hoặc xoá việc, hãy dùng lệnh rq trên máy chủ (xem docs/operations.md).",
    "Back to the admin": "Quay lại trang quản trị",
    # Dashboard: current, next, hand-over
    "since %(time)s": "từ %(time)s",
    "Next item": "Mục tiếp theo",
    "Scheduled now": "Lịch hiện tại",
    "Then": "Sau đó",
    "from %(time)s: %(label)s": "từ %(time)s: %(label)s",
    "%(n)s errors": "%(n)s lỗi",
    "Read-back": "Đọc lại từ bảng",
    # The draft -> approval workflow (signage.web.changes, signage.web.publishing).
    "Saved as a draft. It reaches the boards when an approver publishes it.":
        "Đã lưu bản nháp. Nội dung sẽ lên bảng khi người duyệt xuất bản.",
    "Saved, but not sent to the boards: changes by other people wait for review. Review and publish them "
    "together on the Changes page.":
        "Đã lưu, nhưng chưa gửi lên bảng: có thay đổi của người khác đang chờ duyệt. Hãy xem và xuất bản "
        "tất cả ở trang Chờ duyệt.",
    "The form expired; reload the page and try again.": "Biểu mẫu đã hết hạn; hãy tải lại trang rồi thử lại.",
    "Open the Changes page and review the changes before publishing.":
        "Hãy mở trang Chờ duyệt và xem các thay đổi trước khi xuất bản.",
    "New changes were saved while you were reviewing; nothing was published. Look at the list again, then "
    "publish.":
        "Có thay đổi mới được lưu trong lúc bạn đang xem; chưa xuất bản gì. Hãy xem lại danh sách rồi "
        "xuất bản.",
    "Nothing was published: Redis does not answer. The boards keep playing what they had; try again.":
        "Chưa xuất bản được: Redis không trả lời. Các bảng vẫn phát nội dung cũ; hãy thử lại.",
    "no boards yet": "chưa có bảng nào",
    "Approved and published: %(boards)s": "Đã duyệt và xuất bản: %(boards)s",
    "Changes": "Chờ duyệt",
    "Changes waiting to be published": "Thay đổi chờ duyệt và xuất bản",
    "The boards play what %(who)s published on %(when)s.":
        "Các bảng đang phát nội dung do %(who)s xuất bản lúc %(when)s.",
    "Nothing has been published from the admin yet.": "Chưa có lần xuất bản nào được ghi lại.",
    "Approval is off: saves go to the boards at once; what is listed here could not be sent.":
        "Chế độ duyệt đang tắt: nội dung lưu xong được gửi lên bảng ngay; những gì liệt kê ở đây chưa gửi "
        "được.",
    "%(num)d change is saved but not yet on the boards.": ("Có %(num)d thay đổi đã lưu nhưng chưa lên bảng.",),
    "The first %(shown)d are shown.": "Đang hiện %(shown)d thay đổi đầu tiên.",
    "Publishing sends everything listed here to every board.":
        "Xuất bản sẽ gửi mọi thay đổi liệt kê ở đây lên tất cả các bảng.",
    "Approve and publish": "Duyệt và xuất bản",
    "An approver reviews these changes and publishes them.": "Người duyệt sẽ xem và xuất bản các thay đổi này.",
    "Nothing waits: the boards play everything that is saved.":
        "Không có gì chờ duyệt: các bảng đang phát mọi nội dung đã lưu.",
    "%(num)d change not yet on the boards": ("%(num)d thay đổi chưa lên bảng",),
    "Open the Changes page": "Mở trang Chờ duyệt",
    "The boards play the last published show: %(num)d saved change is not on them yet.":
        ("Các bảng đang phát bản đã xuất bản gần nhất: %(num)d thay đổi đã lưu chưa lên bảng.",),
    # Urgent notice page: is it on the board, confirmed by the board's read-back?
    "Urgent notice #%(id)s": "Thông báo khẩn số %(id)s",
    "On the boards": "Trên các bảng",
    "Since": "Từ lúc",
    "Details": "Chi tiết",
    "Expected": "Cần có",
    "Reload": "Tải lại",
    "All urgent notices": "Tất cả thông báo khẩn",
    "This notice names no board.": "Thông báo này không chọn bảng nào.",
    "This page updates itself every two seconds.": "Trang này tự cập nhật hai giây một lần.",
    "waiting": "đang chờ",
    "on the board (confirmed by read-back)": "đang trên bảng (đã xác nhận bằng đọc lại)",
    "on the board (not confirmed)": "đang trên bảng (chưa xác nhận)",
    "board not answering": "bảng không trả lời",
    "no heartbeat from the board's worker": "chưa có tín hiệu sống từ bộ phát của bảng",
    "last heartbeat %(seconds)s s ago": "tín hiệu sống cuối cùng cách đây %(seconds)s giây",
    "starts at %(time)s": "bắt đầu lúc %(time)s",
    "now playing: %(label)s": "đang phát: %(label)s",
    "on the board, read-back not comparable for moving effects":
        "đang trên bảng, không so được kết quả đọc lại với hiệu ứng chuyển động",
    "this board's protocol cannot read back what it shows":
        "giao thức của bảng này không đọc lại được nội dung đang hiện",
    "the expected frame could not be drawn": "không vẽ được khung hình cần có để so sánh",
    "waiting for the board's read-back": "đang chờ bảng đọc lại",
    "the board's read-back differs from the expected frame": "kết quả đọc lại của bảng khác khung hình cần có",
    "the worker cannot reach the board: %(error)s": "bộ phát không kết nối được tới bảng: %(error)s",
    # The board's test-pattern button.
    "Test pattern": "Mẫu thử",
    "Shows a border, the board's slug and size, all LEDs on and a checkerboard (colour bars on colour "
    "boards) for a few seconds, then the schedule again.":
        "Hiện khung viền, mã và kích thước của bảng, bật toàn bộ đèn LED và ô bàn cờ (bảng màu có thêm "
        "các dải màu) trong vài giây, rồi trở lại lịch phát.",
    "The test pattern was not sent: Redis does not answer. Try again.":
        "Chưa gửi được mẫu thử: Redis không trả lời. Hãy thử lại.",
    "Test pattern requested, but no worker has ever played board %(slug)s; it shows only if its worker "
    "starts within %(seconds)d s.":
        "Đã yêu cầu mẫu thử, nhưng chưa có bộ phát nào từng chạy bảng %(slug)s; mẫu thử chỉ hiện nếu bộ "
        "phát của bảng khởi động trong vòng %(seconds)d giây.",
    "Test pattern requested, but no worker is playing board %(slug)s (last heartbeat %(age)s s ago); it "
    "shows only if its worker starts within %(seconds)d s.":
        "Đã yêu cầu mẫu thử, nhưng không có bộ phát nào đang chạy bảng %(slug)s (tín hiệu sống cuối cùng "
        "cách đây %(age)s giây); mẫu thử chỉ hiện nếu bộ phát của bảng khởi động trong vòng %(seconds)d giây.",
    "Test pattern sent, but the worker of board %(slug)s cannot reach the board: %(error)s":
        "Đã gửi mẫu thử, nhưng bộ phát của bảng %(slug)s không kết nối được tới bảng: %(error)s",
    "Test pattern sent: board %(slug)s shows it for %(seconds)d s, then returns to its schedule.":
        "Đã gửi mẫu thử: bảng %(slug)s hiện mẫu thử trong %(seconds)d giây rồi trở lại lịch phát.",
    # campaigns, phases and board groups
    "the name is empty": "tên đang trống",
    "the name has %(count)d characters; at most %(limit)d are allowed": "tên dài %(count)d ký tự; chỉ được tối đa %(limit)d",
    "the description has %(count)d characters; at most %(limit)d are allowed":
        "phần mô tả dài %(count)d ký tự; chỉ được tối đa %(limit)d",
    "give the first day of the phase": "hãy nhập ngày đầu của giai đoạn",
    "give the last day of the phase": "hãy nhập ngày cuối của giai đoạn",
    "the last day %(last)s comes before the first day %(first)s": "ngày cuối %(last)s đứng trước ngày đầu %(first)s",
    "these days overlap phase %(name)s (%(first)s – %(last)s) of the same campaign":
        "các ngày này trùng với giai đoạn %(name)s (%(first)s – %(last)s) của cùng đợt tuyên truyền",
    "a campaign named %(name)s exists already": "đã có đợt tuyên truyền tên %(name)s",
    "this campaign has a phase named %(name)s already": "đợt tuyên truyền này đã có giai đoạn tên %(name)s",
    "a board group named %(name)s exists already": "đã có nhóm bảng tên %(name)s",
    "there is no board with id %(ids)s": "không có bảng nào có mã số %(ids)s",
    "schedules %(ids)s still use it; change or delete them first":
        "lịch phát %(ids)s vẫn đang dùng; hãy sửa hoặc xoá các lịch đó trước",
    "Campaign name": "Tên đợt tuyên truyền",
    "Description": "Mô tả",
    "Phase name": "Tên giai đoạn",
    "First day": "Ngày đầu",
    "Last day (inclusive)": "Ngày cuối (tính cả ngày này)",
    "Last day": "Ngày cuối",
    "Campaign saved.": "Đã lưu đợt tuyên truyền.",
    "Campaign deleted.": "Đã xoá đợt tuyên truyền.",
    "Campaign %(name)s was not deleted: %(problem)s": "Chưa xoá đợt tuyên truyền %(name)s: %(problem)s",
    "Someone else saved this campaign after you opened it. The form now shows their version; make your change again.":
        "Người khác đã lưu đợt tuyên truyền này sau khi bạn mở. Biểu mẫu đang hiện bản của họ; hãy sửa lại.",
    "The campaign was changed by someone else meanwhile; nothing was moved or deleted. Here it is as it is now.":
        "Người khác vừa thay đổi đợt tuyên truyền này; chưa có gì bị di chuyển hay xoá. Đây là đợt tuyên truyền "
        "hiện tại.",
    "Phase saved.": "Đã lưu giai đoạn.",
    "Phase deleted.": "Đã xoá giai đoạn.",
    "Phase %(name)s was not deleted: %(problem)s": "Chưa xoá giai đoạn %(name)s: %(problem)s",
    "Someone else saved this phase after you opened it. The form now shows their version; make your change again.":
        "Người khác đã lưu giai đoạn này sau khi bạn mở. Biểu mẫu đang hiện bản của họ; hãy sửa lại.",
    "Group name": "Tên nhóm",
    "Board group saved.": "Đã lưu nhóm bảng.",
    "Board group deleted.": "Đã xoá nhóm bảng.",
    "Group %(name)s was not deleted: %(problem)s": "Chưa xoá nhóm bảng %(name)s: %(problem)s",
    "Someone else saved this group after you opened it. The form now shows their version; make your change again.":
        "Người khác đã lưu nhóm bảng này sau khi bạn mở. Biểu mẫu đang hiện bản của họ; hãy sửa lại.",
    "Campaigns": "Đợt tuyên truyền",
    "Campaign": "Đợt tuyên truyền",
    "Campaign: %(name)s": "Đợt tuyên truyền: %(name)s",
    "Add a campaign": "Thêm đợt tuyên truyền",
    "Edit the campaign": "Sửa đợt tuyên truyền",
    "Delete the campaign": "Xoá đợt tuyên truyền",
    "No campaigns yet.": "Chưa có đợt tuyên truyền nào.",
    "A campaign is a series of phases, each a range of days. A schedule that names a phase plays only on its days, "
    "so moving a phase moves its schedules.":
        "Một đợt tuyên truyền gồm nhiều giai đoạn, mỗi giai đoạn là một khoảng ngày. Lịch phát gắn với một giai đoạn "
        "chỉ phát trong những ngày đó, nên dời giai đoạn thì các lịch phát của nó cũng dời theo.",
    "Only a campaign whose phases no schedule uses can be deleted.":
        "Chỉ xoá được đợt tuyên truyền khi không còn lịch phát nào dùng các giai đoạn của nó.",
    "Phase": "Giai đoạn",
    "Phases": "Giai đoạn",
    "Phases of this campaign": "Các giai đoạn của đợt này",
    "No phases yet.": "Chưa có giai đoạn nào.",
    "Add a phase": "Thêm giai đoạn",
    "Edit the phase": "Sửa giai đoạn",
    "Schedules in this phase": "Lịch phát trong giai đoạn",
    "No schedule uses this phase yet.": "Chưa có lịch phát nào dùng giai đoạn này.",
    "Add a schedule for this phase": "Thêm lịch phát cho giai đoạn này",
    "disabled": "đang tắt",
    "What plays when": "Phát gì, khi nào",
    "What plays when: %(name)s": "Phát gì, khi nào: %(name)s",
    "Day by day over the campaign, per board: the playlists each board plays (from its schedules, else its own "
    "playlist). Urgent notices and off hours are left out; a board's timeline shows them by the hour.":
        "Theo từng ngày của đợt tuyên truyền, cho từng bảng: các danh sách phát bảng sẽ phát (theo lịch phát, nếu "
        "không có thì danh sách phát riêng của bảng). Không tính thông báo khẩn và giờ tắt bảng; dòng thời gian của "
        "từng bảng thể hiện chúng theo giờ.",
    "Only the first %(days)d days are shown.": "Chỉ hiển thị %(days)d ngày đầu tiên.",
    "Days": "Số ngày",
    "Board groups": "Nhóm bảng",
    "Add a board group": "Thêm nhóm bảng",
    "Edit the board group": "Sửa nhóm bảng",
    "Boards in the group": "Các bảng trong nhóm",
    "No board groups yet.": "Chưa có nhóm bảng nào.",
    "A schedule can target a group: it then plays on every board of the group.":
        "Lịch phát có thể nhắm tới một nhóm bảng: khi đó lịch phát trên mọi bảng của nhóm.",
    # playlist page: seconds or passes, on/off, total, search to add (issue #6)
    "passes %(value)r is outside 1..%(high)d": "số lượt %(value)r nằm ngoài khoảng 1..%(high)d",
    "passes %(value)r is not a whole number": "số lượt %(value)r không phải số nguyên",
    "seconds": "giây",
    "passes": "lượt",
    "Plays for": "Phát trong",
    "Unit": "Đơn vị",
    "Say how long the item plays.": "Hãy cho biết mục phát trong bao lâu.",
    "%(item)s: %(problem)s": "%(item)s: %(problem)s",
    "%(item)s: only a slogan that scrolls or blinks can play for a number of passes; give it a duration in seconds.":
        "%(item)s: chỉ khẩu hiệu chạy chữ hoặc nhấp nháy mới phát theo số lượt; hãy đặt thời lượng bằng giây.",
    "That slogan or banner was deleted meanwhile; nothing was added.":
        "Khẩu hiệu hoặc băng rôn đó vừa bị xoá; chưa thêm gì.",
    "Added to the playlist: %(item)s": "Đã thêm vào danh sách phát: %(item)s",
    "Switched on: %(item)s": "Đã bật: %(item)s",
    "Switched off (the boards skip it): %(item)s": "Đã tắt (bảng sẽ bỏ qua mục này): %(item)s",
    "%(min)d min %(sec)d s": "%(min)d phút %(sec)d giây",
    "%(sec)d s": "%(sec)d giây",
    "about %(time)s": "khoảng %(time)s",
    "Total of the items switched on: about %(time)s": "Tổng thời lượng các mục đang bật: khoảng %(time)s",
    "Total of the items switched on: %(time)s": "Tổng thời lượng các mục đang bật: %(time)s",
    "on board %(board)s, %(size)s": "trên bảng %(board)s, %(size)s",
    "on a %(size)s board: no board plays this playlist yet":
        "tính cho bảng %(size)s: chưa có bảng nào phát danh sách này",
    "Banner": "Băng rôn",
    "Switch off": "Tắt mục này",
    "Switch on": "Bật mục này",
    "On": "Đang bật",
    "Off": "Đang tắt",
    "%(num)d pass": ("%(num)d lượt",),
    "Search slogans and banners": "Tìm khẩu hiệu và băng rôn",
    "Nothing matches “%(q)s”.": "Không có gì khớp với “%(q)s”.",
    "No slogans or banners yet.": "Chưa có khẩu hiệu hay băng rôn nào.",
    "Page %(page)d of %(pages)d": "Trang %(page)d / %(pages)d",
    # slogan text pasted in TCVN3 / VNI (issue #6, #7)
    "The text was in %(encoding)s, an old Vietnamese encoding, and has been converted to Unicode below. Check it, then save again.":
        "Văn bản ở bảng mã %(encoding)s (bảng mã tiếng Việt cũ) và đã được chuyển sang Unicode bên dưới. Hãy kiểm tra rồi bấm Lưu lần nữa.",
    "Converted from %(encoding)s: saving keeps the Unicode text.": "Đã chuyển từ %(encoding)s: khi lưu sẽ giữ bản Unicode.",
    # the renderer's errors and legibility warnings (signage/render), said in the admin (issue #6)
    "%(count)d lit pixels fall outside the board": "%(count)d điểm sáng nằm ngoài bảng",
    "%(field)s %(value)r is not a colour written #rrggbb": "%(field)s %(value)r không phải màu dạng #rrggbb",
    "%(field)s %(value)r is not a number": "%(field)s %(value)r không phải là số",
    "%(field)s %(value)s is outside the range (%(low)s, %(high)s]": "%(field)s %(value)s nằm ngoài khoảng (%(low)s, %(high)s]",
    "%(font)s is a bitmap font: it exists only at %(size)d px": "%(font)s là phông bitmap: chỉ có cỡ %(size)d px",
    "Lao and Khmer need about 24 rows a line to read, this line has %(rows)d":
        "chữ Lào và Khmer cần khoảng 24 hàng điểm mỗi dòng mới đọc được, dòng này có %(rows)d",
    "Lao/Khmer text without raqm shaping (install libfribidi0): marks will be misplaced":
        "chữ Lào/Khmer chưa được sắp dấu bằng raqm (cài libfribidi0): dấu sẽ lệch chỗ",
    "an item must be a mapping, not %(type)s": "mục phát phải là một bảng giá trị, không phải %(type)s",
    "at %(font)s %(size)dpx these letters look the same: %(pairs)s":
        "với phông %(font)s cỡ %(size)dpx các chữ sau trông giống nhau: %(pairs)s",
    "banner image %(name)s is larger than %(limit)d MB": "ảnh băng rôn %(name)s lớn hơn %(limit)d MB",
    "banner image is damaged or truncated: %(problem)s": "ảnh băng rôn bị hỏng hoặc thiếu: %(problem)s",
    "banner image is empty": "ảnh băng rôn trống",
    "banner image is larger than %(limit)d MB": "ảnh băng rôn lớn hơn %(limit)d MB",
    "banner is %(size)d MB; at most %(limit)d MB": "băng rôn nặng %(size)d MB; tối đa %(limit)d MB",
    "banner is %(size)s px, more than %(limit)s pixels (a decompression bomb?)":
        "băng rôn có kích thước %(size)s px, quá %(limit)s điểm ảnh (có thể là ảnh bom giải nén)",
    "banner is a %(format)s image: use PNG, JPEG, GIF or WebP": "băng rôn là ảnh %(format)s: hãy dùng PNG, JPEG, GIF hoặc WebP",
    "banner is not an image: use PNG, JPEG, GIF or WebP": "tệp băng rôn không phải là ảnh: hãy dùng PNG, JPEG, GIF hoặc WebP",
    "banner refused as a decompression bomb: %(problem)s": "băng rôn bị từ chối vì là ảnh bom giải nén: %(problem)s",
    "countdown date %(value)r is not a date written YYYY-MM-DD": "ngày đếm ngược %(value)r không viết theo dạng YYYY-MM-DD",
    "each line is on the board for %(seconds)s s, under %(least)s s: lower the speed":
        "mỗi dòng chỉ hiện trên bảng %(seconds)s giây, dưới %(least)s giây: hãy giảm tốc độ",
    "each word is on the board for %(seconds)s s, under %(least)s s: lower the speed below %(speed)s px/s":
        "mỗi chữ chỉ hiện trên bảng %(seconds)s giây, dưới %(least)s giây: hãy giảm tốc độ xuống dưới %(speed)s px/giây",
    "fit %(value)r: use one of %(known)s": "cách khớp ảnh %(value)r: hãy chọn một trong %(known)s",
    "font %(font)s needs %(rows)d rows, the board has %(height)d: marks will be cut":
        "phông %(font)s cần %(rows)d hàng điểm, bảng chỉ có %(height)d: dấu sẽ bị cắt",
    "font size %(value)r is outside 4..400 px": "cỡ chữ %(value)r nằm ngoài 4..400 px",
    "hold %(value)r is not a number of seconds in [0, %(high)s]": "thời gian giữ %(value)r không phải số giây trong [0, %(high)s]",
    "item has more than %(limit)d frames: too long for a preview": "mục phát có hơn %(limit)d khung hình: quá dài để xem trước",
    "letter_spacing %(value)r is not a whole number of px in 0..32": "khoảng cách chữ %(value)r không phải số nguyên px trong 0..32",
    "no font has %(chars)s: they would show as boxes": "không phông nào có %(chars)s: các ký tự này sẽ hiện thành ô vuông",
    "passes %(value)r is not a whole number in 1..%(high)d": "số lượt %(value)r không phải số nguyên trong 1..%(high)d",
    "spec must be a BoardSpec, not %(type)s": "thông số bảng phải là BoardSpec, không phải %(type)s",
    "static text does not fit %(size)s even at the smallest font: let it scroll (effect auto or scroll-left)":
        "chữ đứng yên không vừa bảng %(size)s kể cả với cỡ chữ nhỏ nhất: hãy cho chạy chữ (hiệu ứng auto hoặc scroll-left)",
    "text has %(count)d characters, more than the %(limit)d allowed": "văn bản dài %(count)d ký tự, quá mức cho phép %(limit)d",
    "text holds control characters %(chars)s": "văn bản chứa ký tự điều khiển %(chars)s",
    "text is %(rows)d rows tall, under the %(clean)d rows that read cleanly: use a taller board or fewer lines":
        "chữ chỉ cao %(rows)d hàng điểm, dưới %(clean)d hàng cần để đọc rõ: hãy dùng bảng cao hơn hoặc bớt số dòng",
    "text is empty": "văn bản đang trống",
    "text must be a string, not %(type)s": "văn bản phải là chuỗi ký tự, không phải %(type)s",
    "unknown align %(value)r: use one of %(known)s": "cách căn lề %(value)r không có; hãy chọn một trong %(known)s",
    "unknown effect %(value)r: use one of %(known)s or auto": "hiệu ứng %(value)r không có; hãy chọn một trong %(known)s hoặc auto",
    "unknown fit %(value)r: use one of %(known)s": "cách khớp ảnh %(value)r không có; hãy chọn một trong %(known)s",
    "unknown font %(value)r: use one of %(known)s": "phông chữ %(value)r không có; hãy chọn một trong %(known)s",
    "unknown item kind %(value)r: use slogan or banner": "loại mục %(value)r không có; hãy dùng slogan (khẩu hiệu) hoặc banner (băng rôn)",
    "at least %(time)s": "ít nhất %(time)s",
    "Frames of this item / commands the board acknowledged": "Khung của mục này / lệnh bảng đã xác nhận",
    # urgent-notice read-back of moving notices (signage/web/notice_status.py)
    "the board's read-back matches none of the notice's frames":
        "kết quả đọc lại của bảng không khớp với khung hình nào của thông báo",
    "the last read-back caught the board dark between frames of the moving notice; waiting for the next one":
        "lần đọc lại gần nhất gặp lúc bảng tối giữa hai khung hình của thông báo chuyển động; đang chờ lần đọc tiếp theo",
    "the last read-back is none of the first %(count)s frames compared (a long scroll); waiting for the next one":
        "lần đọc lại gần nhất không khớp %(count)s khung hình đầu đã so (chữ chạy dài); đang chờ lần đọc tiếp theo",
    # the import page: problems of playlist files (signage/bundle) and .zip uploads (issue #6)
    "nothing": "không có gì",
    "%(num)d board": ("%(num)d bảng",),
    "%(num)d board group": ("%(num)d nhóm bảng",),
    "%(num)d slogan": ("%(num)d khẩu hiệu",),
    "%(num)d banner": ("%(num)d băng rôn",),
    "%(num)d playlist": ("%(num)d danh sách phát",),
    "%(num)d campaign": ("%(num)d đợt tuyên truyền",),
    "%(num)d schedule": ("%(num)d lịch phát",),
    "not a zip archive": "không phải tệp nén .zip",
    "%(count)d entries; at most %(limit)d": "có %(count)d mục trong tệp nén; tối đa %(limit)d",
    "%(name)s: refused, the path leads outside the archive's folder":
        "%(name)s: bị từ chối vì đường dẫn đi ra ngoài thư mục của tệp nén",
    "%(name)s: refused, a symbolic link": "%(name)s: bị từ chối vì là liên kết tượng trưng (symbolic link)",
    "more than %(mb)d MB once unpacked": "giải nén ra sẽ hơn %(mb)d MB",
    "%(name)s: damaged (%(problem)s)": "%(name)s: bị hỏng (%(problem)s)",
    "no .toml files": "không có tệp .toml nào",
    "not UTF-8 text: save the file as UTF-8 (legacy TCVN3/VNI text: signage convert-text)":
        "không phải văn bản UTF-8: hãy lưu tệp ở dạng UTF-8 (văn bản theo bảng mã cũ TCVN3/VNI: dùng lệnh "
        "signage convert-text)",
    "cannot read: %(problem)s": "không đọc được: %(problem)s",
    "not valid TOML: %(problem)s": "không phải TOML hợp lệ: %(problem)s",
    "not valid TOML: %(problem)s (column %(column)s)": "không phải TOML hợp lệ: %(problem)s (cột %(column)s)",
    "not valid TOML: %(problem)s (at end of document)": "không phải TOML hợp lệ: %(problem)s (ở cuối tệp)",
    "Invalid statement": "câu lệnh không hợp lệ",
    "Expected newline or end of document after a statement": "sau mỗi câu lệnh phải xuống dòng hoặc hết tệp",
    "Cannot overwrite a value": "không được ghi đè một giá trị đã có",
    "Expected ']' at the end of a table declaration": "thiếu ']' ở cuối dòng khai báo bảng",
    "Expected ']]' at the end of an array declaration": "thiếu ']]' ở cuối dòng khai báo mảng bảng",
    "Expected '=' after a key in a key/value pair": "thiếu '=' sau tên khoá trong cặp khoá = giá trị",
    "Invalid initial character for a key part": "ký tự đầu của tên khoá không hợp lệ",
    "Unclosed array": "danh sách chưa được đóng (thiếu ']')",
    "Unclosed inline table": "bảng viết trên một dòng chưa được đóng (thiếu '}')",
    "Unescaped '\\' in a string": "dấu '\\' trong chuỗi phải viết thành '\\\\'",
    "Invalid hex value": "giá trị thập lục phân không hợp lệ",
    "Escaped character is not a Unicode scalar value": "ký tự viết bằng mã thoát không phải ký tự Unicode hợp lệ",
    "Unterminated string": "chuỗi chưa được đóng (thiếu dấu nháy)",
    "Invalid date or datetime": "ngày hoặc ngày giờ không hợp lệ",
    "Invalid value": "giá trị không hợp lệ",
    "Expected %(what)s": "thiếu %(what)s",
    "Found invalid character %(what)s": "gặp ký tự không hợp lệ %(what)s",
    "Illegal character %(what)s": "ký tự không được phép %(what)s",
    "Cannot declare %(what)s twice": "không được khai báo %(what)s hai lần",
    "Cannot mutate immutable namespace %(what)s": "không thể thêm vào %(what)s: bảng này đã được viết trọn trước đó",
    "Cannot redefine namespace %(what)s": "không được định nghĩa lại bảng %(what)s",
    "Duplicate inline table key %(what)s": "khoá %(what)s bị lặp trong bảng viết trên một dòng",
    "day is out of range for month": "tháng này không có ngày đó",
    "month must be in 1..12": "tháng phải trong khoảng 1..12",
    "hour must be in 0..23": "giờ phải trong khoảng 0..23",
    "minute must be in 0..59": "phút phải trong khoảng 0..59",
    "second must be in 0..59": "giây phải trong khoảng 0..59",
    "year %(year)s is out of range": "năm %(year)s nằm ngoài khoảng cho phép",
    "required": "bắt buộc phải có",
    "must not be empty": "không được để trống",
    "wrong type: %(value)r": "sai kiểu dữ liệu: %(value)r",
    "%(count)d characters; at most %(limit)d": "dài %(count)d ký tự; tối đa %(limit)d",
    "%(value)s is outside %(low)s..%(high)s": "%(value)s nằm ngoài khoảng %(low)s..%(high)s",
    "%(value)r is not one of %(known)s": "%(value)r không phải một trong %(known)s",
    "%(value)r is not a format number": "%(value)r không phải số hiệu định dạng",
    "format %(value)d is newer than this version reads (1..%(newest)d): upgrade signage to import it":
        "định dạng %(value)d mới hơn mức phiên bản này đọc được (1..%(newest)d): hãy nâng cấp signage để nhập tệp này",
    "%(value)r is not a date: write day/month/year (\"03/02/2020\") or 2020-02-03":
        "%(value)r không phải ngày: hãy viết ngày/tháng/năm (\"03/02/2020\") hoặc 2020-02-03",
    "%(value)r is not a date that exists (%(problem)s)": "%(value)r không phải ngày có thật (%(problem)s)",
    "%(value)r is not a time of day (%(problem)s)": "%(value)r không phải giờ trong ngày (%(problem)s)",
    "%(value)r is not a weekday: use 1 (Monday) to 7 (Sunday)":
        "%(value)r không phải thứ trong tuần: hãy dùng 1 (thứ Hai) đến 7 (Chủ nhật)",
    "%(value)r starts and ends at the same time; leave hours out to play all day":
        "%(value)r bắt đầu và kết thúc cùng một giờ; muốn phát cả ngày thì bỏ hours đi",
    "%(time)s is given twice": "mốc %(time)s được ghi hai lần",
    "%(end)s is before the start %(start)s": "%(end)s sớm hơn ngày bắt đầu %(start)s",
    "expected text in quotes, got %(value)r": "cần văn bản trong dấu nháy, nhưng gặp %(value)r",
    "expected a whole number, got %(value)r": "cần một số nguyên, nhưng gặp %(value)r",
    "expected a number, got %(value)r": "cần một số, nhưng gặp %(value)r",
    "expected true or false, got %(value)r": "cần true (có) hoặc false (không), nhưng gặp %(value)r",
    "expected a date such as 2020-02-03 or \"03/02/2020\", got %(value)r":
        "cần một ngày như 2020-02-03 hoặc \"03/02/2020\", nhưng gặp %(value)r",
    "expected a time of day such as \"07:30\", got %(value)r": "cần giờ trong ngày như \"07:30\", nhưng gặp %(value)r",
    "expected a window such as \"07:00-22:00\", got %(value)r":
        "cần một khung giờ như \"07:00-22:00\", nhưng gặp %(value)r",
    "expected weekdays such as [1, 2, 3, 4, 5] (1 = Monday), got %(value)r":
        "cần các thứ trong tuần như [1, 2, 3, 4, 5] (1 = thứ Hai), nhưng gặp %(value)r",
    "expected a list, got %(value)r": "cần một danh sách, nhưng gặp %(value)r",
    "expected a table ({ ... } or [[%(kind)s]]), got %(value)r":
        "cần một bảng ({ ... } hoặc [[%(kind)s]]), nhưng gặp %(value)r",
    "expected [[%(kind)s]] tables": "cần các bảng [[%(kind)s]]",
    "expected [[campaigns.phases]] tables": "cần các bảng [[campaigns.phases]]",
    "expected a list such as [{ at = \"06:00\", level = 60 }]":
        "cần một danh sách như [{ at = \"06:00\", level = 60 }]",
    "expected a list such as [{ slogan = \"key\", duration = 10 }]":
        "cần một danh sách như [{ slogan = \"key\", duration = 10 }]",
    "no weekday given; leave weekdays out to play every day":
        "chưa ghi thứ nào; muốn phát mọi ngày thì bỏ weekdays đi",
    "unknown time zone %(value)r; e.g. Asia/Ho_Chi_Minh": "không có múi giờ %(value)r; ví dụ Asia/Ho_Chi_Minh",
    "unknown key; known: %(known)s": "khoá không hợp lệ; các khoá dùng được: %(known)s",
    "unknown key (format 2 only: write format = 2 at the top); known: %(known)s":
        "khoá không có trong định dạng 1 (chỉ định dạng 2 mới có: hãy ghi format = 2 ở đầu tệp); các khoá dùng "
        "được: %(known)s",
    "board %(value)r is defined twice (first at %(first)s)": "bảng %(value)r được khai báo hai lần (lần đầu ở %(first)s)",
    "group %(value)r is defined twice (first at %(first)s)":
        "nhóm bảng %(value)r được khai báo hai lần (lần đầu ở %(first)s)",
    "slogan key %(value)r is defined twice (first at %(first)s)":
        "khoá khẩu hiệu %(value)r được khai báo hai lần (lần đầu ở %(first)s)",
    "banner key %(value)r is defined twice (first at %(first)s)":
        "khoá băng rôn %(value)r được khai báo hai lần (lần đầu ở %(first)s)",
    "playlist %(value)r is defined twice (first at %(first)s)":
        "danh sách phát %(value)r được khai báo hai lần (lần đầu ở %(first)s)",
    "campaign %(value)r is defined twice (first at %(first)s)":
        "đợt tuyên truyền %(value)r được khai báo hai lần (lần đầu ở %(first)s)",
    "give both on and off (or neither: always on)":
        "hãy ghi cả on (giờ bật) và off (giờ tắt), hoặc bỏ cả hai (luôn bật)",
    "%(image)r is outside the imported folder: give a path relative to the file, without '..'":
        "%(image)r nằm ngoài thư mục được nhập: hãy ghi đường dẫn tính từ tệp, không dùng '..'",
    "%(image)r leads outside the imported folder (a link?)":
        "%(image)r dẫn ra ngoài thư mục được nhập (có phải là liên kết không?)",
    "%(image)r: no such file beside %(file)s": "%(image)r: không có tệp này bên cạnh %(file)s",
    "%(image)r is larger than %(limit)d MB": "%(image)r lớn hơn %(limit)d MB",
    "%(image)r: %(problem)s": "%(image)r: %(problem)s",
    "give either slogan = \"key\" or banner = \"key\"": "hãy ghi một trong hai: slogan = \"key\" hoặc banner = \"key\"",
    "a banner plays for a duration; passes are for slogans that scroll":
        "băng rôn phát theo thời lượng; số lượt (passes) chỉ dành cho khẩu hiệu chạy chữ",
    "give a board or a group, not both (neither: every board)":
        "hãy ghi một bảng hoặc một nhóm bảng, không ghi cả hai (không ghi gì: mọi bảng)",
    "a schedule in a campaign names both campaign and phase":
        "lịch phát thuộc đợt tuyên truyền phải ghi cả campaign (đợt) và phase (giai đoạn)",
    "no slogan with key %(key)r": "không có khẩu hiệu nào có khoá %(key)r",
    "no banner with key %(key)r": "không có băng rôn nào có khoá %(key)r",
    "campaign %(campaign)r has no phase %(phase)r": "đợt tuyên truyền %(campaign)r không có giai đoạn %(phase)r",
    "campaign %(campaign)r has no phase %(phase)r (phases: %(names)s)":
        "đợt tuyên truyền %(campaign)r không có giai đoạn %(phase)r (các giai đoạn: %(names)s)",
    "no board %(key)r in the files nor in the database": "không có bảng %(key)r trong các tệp lẫn trong cơ sở dữ liệu",
    "no playlist %(key)r in the files nor in the database":
        "không có danh sách phát %(key)r trong các tệp lẫn trong cơ sở dữ liệu",
    "no board group %(key)r in the files nor in the database":
        "không có nhóm bảng %(key)r trong các tệp lẫn trong cơ sở dữ liệu",
    "no campaign %(key)r in the files nor in the database":
        "không có đợt tuyên truyền %(key)r trong các tệp lẫn trong cơ sở dữ liệu",
    # the JSON API: our own messages (signage/web/api), said as Accept-Language asks (issue #6)
    "send 'Authorization: Bearer <token>' (create one with `signage create-token`)":
        "hãy gửi 'Authorization: Bearer <token>' (tạo token bằng lệnh `signage create-token`)",
    "unknown or revoked token": "token không tồn tại hoặc đã bị thu hồi",
    "this needs the %(role)s role; the token's user is %(user_role)s":
        "thao tác này cần quyền %(role)s; người dùng của token chỉ có quyền %(user_role)s",
    "the request body has errors; nothing was saved": "nội dung yêu cầu có lỗi; chưa lưu gì",
    "%(what)s was changed by someone else since version %(given)s; read it again (version now %(now)s) and redo "
    "your change. Nothing was saved.":
        "%(what)s đã được người khác thay đổi sau phiên bản %(given)s; hãy đọc lại (phiên bản hiện tại %(now)s) "
        "rồi sửa lại. Chưa lưu gì.",
    "slogan %(id)s": "khẩu hiệu %(id)s",
    "playlist %(id)s": "danh sách phát %(id)s",
    "banner %(id)s": "băng rôn %(id)s",
    "schedule %(id)s": "lịch phát %(id)s",
    "urgent notice %(id)s": "thông báo khẩn %(id)s",
    "campaign %(id)s": "đợt tuyên truyền %(id)s",
    "phase %(id)s": "giai đoạn %(id)s",
    "board group %(id)s": "nhóm bảng %(id)s",
    "board %(id)r": "bảng %(id)r",
    "no slogan %(id)s": "không có khẩu hiệu %(id)s",
    "no playlist %(id)s": "không có danh sách phát %(id)s",
    "no banner %(id)s": "không có băng rôn %(id)s",
    "no schedule %(id)s": "không có lịch phát %(id)s",
    "no urgent notice %(id)s": "không có thông báo khẩn %(id)s",
    "no campaign %(id)s": "không có đợt tuyên truyền %(id)s",
    "no phase %(id)s": "không có giai đoạn %(id)s",
    "no board group %(id)s": "không có nhóm bảng %(id)s",
    "no board %(id)r": "không có bảng %(id)r",
    "no campaign phase %(id)s": "không có giai đoạn tuyên truyền %(id)s",
    "campaign %(campaign)s has no phase %(phase)s": "đợt tuyên truyền %(campaign)s không có giai đoạn %(phase)s",
    "control characters (such as NUL or a line break) are not allowed in a name":
        "tên không được chứa ký tự điều khiển (như NUL hay dấu xuống dòng)",
    "the upload is larger than %(mb)d MB; nothing was saved": "tệp tải lên lớn hơn %(mb)d MB; chưa lưu gì",
    "choose at least one weekday": "hãy chọn ít nhất một thứ trong tuần",
    "at most the 7 days of a week": "tối đa 7 ngày trong tuần",
    "the end date comes before the start date": "ngày kết thúc sớm hơn ngày bắt đầu",
    "give both daily times, or neither (all day)": "hãy ghi cả hai giờ trong ngày, hoặc bỏ trống cả hai (cả ngày)",
    "choose a board or a group, not both": "hãy chọn một bảng hoặc một nhóm bảng, không chọn cả hai",
    "give a time from 2000 to 2099": "hãy ghi thời điểm trong khoảng năm 2000 đến 2099",
    "give a date from %(first)s to %(last)s": "hãy ghi ngày từ %(first)s đến %(last)s",
    "list boards or set all_boards, not both": "hãy liệt kê bảng hoặc đặt all_boards, không làm cả hai",
    "list the boards, or set all_boards": "hãy liệt kê các bảng, hoặc đặt all_boards",
    "the notice must expire after it starts": "thông báo phải hết hạn sau thời điểm bắt đầu",
    "this notice would already be over": "thời gian của thông báo này đã qua",
    "not deleted: %(problem)s": "chưa xoá: %(problem)s",
    "change %(newest)s was saved after the %(seen)s you reviewed; nothing was published (GET /api/changes again)":
        "thay đổi %(newest)s được lưu sau thay đổi %(seen)s bạn đã xem; chưa xuất bản gì (hãy GET /api/changes "
        "lại)",
    "nothing was published: Redis does not answer (%(problem)s)":
        "chưa xuất bản được gì: Redis không trả lời (%(problem)s)",
    "saved as a draft: it reaches the boards when an approver publishes it (POST /api/publish)":
        "đã lưu bản nháp: nội dung sẽ lên bảng khi người duyệt xuất bản (POST /api/publish)",
    "saved, not published: changes by other people wait for review (GET /api/changes, then POST /api/publish)":
        "đã lưu, chưa xuất bản: có thay đổi của người khác đang chờ duyệt (GET /api/changes, rồi POST "
        "/api/publish)",
    "saved, not yet published: Redis does not answer (%(problem)s)":
        "đã lưu, chưa xuất bản: Redis không trả lời (%(problem)s)",
    # the JSON API: marshmallow's and webargs' messages, blanks as they fill them (signage/web/api/language.py)
    "Missing data for required field.": "Thiếu dữ liệu cho trường bắt buộc.",
    "Field may not be null.": "Trường này không được là null.",
    "Invalid value.": "Giá trị không hợp lệ.",
    "Not a valid string.": "Không phải chuỗi ký tự hợp lệ.",
    "Not a valid utf-8 string.": "Không phải chuỗi UTF-8 hợp lệ.",
    "Not a valid integer.": "Không phải số nguyên hợp lệ.",
    "Not a valid number.": "Không phải số hợp lệ.",
    "Number too large.": "Số quá lớn.",
    "Special numeric values (nan or infinity) are not permitted.":
        "Không nhận các giá trị số đặc biệt (nan hoặc vô cực).",
    "Not a valid boolean.": "Không phải giá trị đúng/sai (true/false) hợp lệ.",
    "Not a valid date.": "Không phải ngày hợp lệ.",
    "Not a valid datetime.": "Không phải ngày giờ hợp lệ.",
    "Not a valid time.": "Không phải giờ hợp lệ.",
    "Not a valid naive datetime.": "Không phải ngày giờ hợp lệ không kèm múi giờ.",
    "Not a valid aware datetime.": "Không phải ngày giờ hợp lệ có kèm múi giờ.",
    "Not a valid list.": "Không phải danh sách hợp lệ.",
    "Not a valid mapping type.": "Không phải đối tượng khoá–giá trị hợp lệ.",
    "Invalid type.": "Kiểu dữ liệu không hợp lệ.",
    "Invalid input type.": "Kiểu dữ liệu gửi lên không hợp lệ.",
    "Unknown field.": "Trường không có trong API.",
    "String does not match expected pattern.": "Chuỗi không đúng dạng yêu cầu.",
    "Invalid input.": "Dữ liệu không hợp lệ.",
    "Invalid JSON body.": "Nội dung JSON không hợp lệ.",
    "Must be greater than or equal to {min} and less than or equal to {max}.":
        "Phải lớn hơn hoặc bằng {min} và nhỏ hơn hoặc bằng {max}.",
    "Must be greater than or equal to {min} and less than {max}.": "Phải lớn hơn hoặc bằng {min} và nhỏ hơn {max}.",
    "Must be greater than {min} and less than or equal to {max}.": "Phải lớn hơn {min} và nhỏ hơn hoặc bằng {max}.",
    "Must be greater than {min} and less than {max}.": "Phải lớn hơn {min} và nhỏ hơn {max}.",
    "Must be greater than or equal to {min}.": "Phải lớn hơn hoặc bằng {min}.",
    "Must be greater than {min}.": "Phải lớn hơn {min}.",
    "Must be less than or equal to {max}.": "Phải nhỏ hơn hoặc bằng {max}.",
    "Must be less than {max}.": "Phải nhỏ hơn {max}.",
    "Length must be between {min} and {max}.": "Độ dài phải từ {min} đến {max}.",
    "Length must be {equal}.": "Độ dài phải bằng {equal}.",
    "Longer than maximum length {max}.": "Dài quá mức tối đa {max}.",
    "Shorter than minimum length {min}.": "Ngắn hơn mức tối thiểu {min}.",
    "Must be one of: {choices}.": "Phải là một trong: {choices}.",
    "Must be equal to {other}.": "Phải bằng {other}.",
    # WTForms' and Flask-WTF's own messages on every admin form (signage/web/form_language.py); the
    # blanks (%(min)d, %(max)s, %(value)s, {extensions}) are filled in by WTForms after translation.
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ: không đọc được giá trị đã chọn.",
    "Choices cannot be None.": "Danh sách lựa chọn không được để trống (None).",
    "Invalid choice(s): one or more data inputs could not be coerced.":
        "Lựa chọn không hợp lệ: có giá trị gửi lên không đọc được.",
    "'%(value)s' is not a valid choice for this field.": ("'%(value)s' không phải lựa chọn hợp lệ của trường này.",),
    "Not a valid datetime value.": "Ngày giờ không hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "Not a valid week value.": "Tuần không hợp lệ.",
    "Not a valid integer value.": "Không phải số nguyên hợp lệ.",
    "Not a valid decimal value.": "Không phải số thập phân hợp lệ.",
    "Not a valid float value.": "Không phải số hợp lệ.",
    "This field is required.": "Trường này là bắt buộc.",
    "Field must be at least %(min)d character long.": ("Phải có ít nhất %(min)d ký tự.",),
    "Field cannot be longer than %(max)d character.": ("Không được dài quá %(max)d ký tự.",),
    "Field must be exactly %(max)d character long.": ("Phải có đúng %(max)d ký tự.",),
    "Field must be between %(min)d and %(max)d characters long.": "Phải dài từ %(min)d đến %(max)d ký tự.",
    "Number must be at least %(min)s.": "Số phải lớn hơn hoặc bằng %(min)s.",
    "Number must be at most %(max)s.": "Số phải nhỏ hơn hoặc bằng %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải nằm trong khoảng %(min)s đến %(max)s.",
    "Date must be at least %(min)s.": "Ngày không được trước %(min)s.",
    "Date must be at most %(max)s.": "Ngày không được sau %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Ngày phải nằm trong khoảng %(min)s đến %(max)s.",
    "Invalid field name '%s'.": "Tên trường '%s' không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Trường này phải giống %(other_name)s.",
    "Invalid email address.": "Địa chỉ email không hợp lệ.",
    "Invalid IP address.": "Địa chỉ IP không hợp lệ.",
    "Invalid Mac address.": "Địa chỉ MAC không hợp lệ.",
    "Invalid URL.": "URL không hợp lệ.",
    "Invalid UUID.": "UUID không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị không hợp lệ, phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không hợp lệ, không được là: %(values)s.",
    "This field cannot be edited.": "Không được sửa trường này.",
    "This field is disabled and cannot have a value.": "Trường này đã bị tắt, không được có giá trị.",
    "File does not have an approved extension: {extensions}": "Tệp không có đuôi được chấp nhận: {extensions}",
    "File does not have an approved extension.": "Tệp không có đuôi được chấp nhận.",
    # --- issue 16 ---
    "Content": "Nội dung",
    "Chosen by": "Chọn bởi",
    "Planned end": "Dự kiến kết thúc",
    "Frames sent": "Số khung đã gửi",
    "Frames acknowledged": "Số khung bảng đã xác nhận",
    "Reason": "Lý do",
    "Item id": "Mã mục",
    "Source id": "Mã nguồn",
    "Show version": "Phiên bản chương trình",
    "Content or schedule contains": "Nội dung hoặc tên lịch có chữ",
    "schedule «%(name)s»": "lịch phát «%(name)s»",
    "the board's own playlist «%(name)s»": "danh sách riêng của bảng «%(name)s»",
    "test pattern": "hình kiểm tra",
    "automatic (still if it fits, else scrolling)": "tự động (đứng yên nếu vừa, không thì chạy chữ)",
    "still": "đứng yên",
    "scroll to the left": "chạy sang trái",
    "scroll to the right": "chạy sang phải",
    "scroll upwards": "chạy lên trên",
    "blinking": "nhấp nháy",
    "wipe": "hiện dần (quét)",
    "letter by letter": "hiện từng chữ",
    "hold": "giữ nguyên",
    "whole picture (borders if needed)": "cả ảnh (thêm viền nếu cần)",
    "fill the board (edges cut)": "phủ kín bảng (cắt bớt mép)",
    "stretch to the board": "kéo giãn vừa bảng",
    "viewer": "người xem",
    "editor": "biên tập viên",
    "approver": "người duyệt",
    "administrator": "quản trị viên",
    "one colour": "một màu",
    "two colours (red and green)": "hai màu (đỏ và xanh lá)",
    "full colour": "đủ màu",
    "full colour (16-bit)": "đủ màu (16 bit)",
    "connected": "đã kết nối",
    "not connected": "mất kết nối",
    "%(field)s %(old)s → %(new)s": "%(field)s %(old)s → %(new)s",
    "%(kind)s %(name)s": "%(kind)s %(name)s",
    "%(n)s px/s": "%(n)s px/giây",
    "%(n)s s": "%(n)s giây",
    "%(who)s added %(content)s to the playlist %(playlist)s": "%(who)s thêm %(content)s vào danh sách %(playlist)s",
    "%(who)s brought the %(kind)s %(name)s back from the bin": "%(who)s lấy lại %(kind)s %(name)s từ thùng rác",
    "%(who)s changed %(content)s in the playlist %(playlist)s: %(changes)s": "%(who)s sửa %(content)s trong danh sách %(playlist)s: %(changes)s",
    "%(who)s changed the %(kind)s %(name)s: %(changes)s": "%(who)s sửa %(kind)s %(name)s: %(changes)s",
    "%(who)s created the %(kind)s %(name)s": "%(who)s tạo %(kind)s %(name)s",
    "%(who)s deleted the %(kind)s %(name)s for good": "%(who)s xoá hẳn %(kind)s %(name)s",
    "%(who)s moved the %(kind)s %(name)s to the bin": "%(who)s chuyển %(kind)s %(name)s vào thùng rác",
    "%(who)s published to the boards": "%(who)s xuất bản lên các bảng",
    "%(who)s took %(content)s out of the playlist %(playlist)s": "%(who)s bỏ %(content)s khỏi danh sách %(playlist)s",
    "API key": "khoá API",
    "On the board after": "Trên bảng sau khi sửa",
    "On the board before": "Trên bảng trước khi sửa",
    "Publish": "Xuất bản",
    "Stored values": "Giá trị lưu trong cơ sở dữ liệu",
    "address": "địa chỉ",
    "an entry": "một mục",
    "banner": "băng rôn",
    "board": "bảng",
    "board group": "nhóm bảng",
    "board's on/off hours": "giờ bật/tắt bảng",
    "boards": "các bảng",
    "brightness": "độ sáng",
    "brightness step": "mốc độ sáng",
    "campaign": "đợt tuyên truyền",
    "cancelled at": "huỷ lúc",
    "colour": "màu",
    "default": "mặc định",
    "description": "mô tả",
    "duration": "thời lượng",
    "effect": "hiệu ứng",
    "every day": "mọi ngày",
    "first day": "từ ngày",
    "font": "phông chữ",
    "from": "từ",
    "height": "chiều cao",
    "in use": "đang dùng",
    "last day": "đến ngày",
    "may log in": "được đăng nhập",
    "name": "tên",
    "none": "không có",
    "order": "thứ tự",
    "phase": "giai đoạn",
    "picture placement": "cách đặt ảnh",
    "playlist": "danh sách phát",
    "playlist entry": "mục trong danh sách",
    "port": "cổng",
    "priority": "ưu tiên",
    "protocol": "giao thức",
    "role": "vai trò",
    "short name": "tên ngắn",
    "slogan": "khẩu hiệu",
    "speed": "tốc độ",
    "speed of the line": "tốc độ đường truyền",
    "switched off at": "tắt lúc",
    "switched on at": "bật lúc",
    "text": "chữ",
    "the banner %(name)s": "băng rôn %(name)s",
    "the slogan %(name)s": "khẩu hiệu %(name)s",
    "time zone": "múi giờ",
    "until": "đến",
    "user": "người dùng",
    "weekdays": "ngày trong tuần",
    "width": "chiều rộng",
    "%(who)s showed the test pattern on the board %(board)s": "%(who)s cho bảng %(board)s hiện hình kiểm tra",
    "No playlist holds it yet, so no board shows it: add it to a playlist.": "Chưa có danh sách phát nào chứa nội dung này nên chưa bảng nào hiện nó: hãy thêm vào một danh sách phát.",
    "No board plays this list: add the list to a board or a schedule to show it.": "Không bảng nào phát danh sách này: hãy gán danh sách cho một bảng hoặc một lịch phát để nó lên bảng.",
    "%(board)s now, in its turn in the list": "%(board)s ngay bây giờ, đến lượt trong danh sách",
    "%(board)s from %(when)s, when the schedule «%(schedule)s» opens": "%(board)s từ %(when)s, khi lịch «%(schedule)s» bắt đầu",
    "%(board)s from %(when)s": "%(board)s từ %(when)s",
    "Shown on: %(boards)s.": "Hiện trên: %(boards)s.",
    "Sent to the boards.": "Đã gửi tới bảng.",
    "Sent to the boards: %(boards)s. It shows from %(when)s, before everything else.": "Đã gửi tới bảng: %(boards)s. Thông báo hiện từ %(when)s, trước mọi nội dung khác.",
    "Sent to the boards: %(boards)s. It shows now, before everything else.": "Đã gửi tới bảng: %(boards)s. Thông báo hiện ngay, trước mọi nội dung khác.",
    "%(board)s plays it now: it leaves the board.": "%(board)s đang phát nội dung này: nó sẽ rời khỏi bảng.",
    "%(board)s would play it from %(when)s: it will not.": "%(board)s sẽ phát nội dung này từ %(when)s: sẽ không phát nữa.",
    "Bin": "Thùng rác",
    "Bring back": "Khôi phục",
    "Cancel the notice": "Huỷ thông báo",
    "Cancelled": "Đã huỷ",
    "Cancelled urgent notices": "Thông báo khẩn đã huỷ",
    "Deleted": "Đã xoá",
    "It would start on %(when)s; it will not.": "Thông báo lẽ ra bắt đầu lúc %(when)s; sẽ không hiện nữa.",
    "Keep it": "Giữ lại",
    "Move to the bin": "Chuyển vào thùng rác",
    "No board shows it now or in the coming weeks: the boards do not change.": "Hiện không bảng nào phát nội dung này, và trong thời gian tới cũng không: các bảng không thay đổi.",
    "On every board now: they go back to their schedule at once.": "Đang hiện trên mọi bảng: các bảng sẽ trở lại lịch phát ngay.",
    "On the boards now (%(boards)s): they go back to their schedule at once.": "Đang hiện trên bảng (%(boards)s): các bảng sẽ trở lại lịch phát ngay.",
    "The %(kind)s %(name)s is back.": "Đã khôi phục %(kind)s %(name)s.",
    "The %(kind)s %(name)s is in the bin; you can bring it back within %(days)d days.": "Đã chuyển %(kind)s %(name)s vào thùng rác; có thể khôi phục trong vòng %(days)d ngày.",
    "The bin is empty.": "Thùng rác trống.",
    "The urgent notice #%(id)d shows this picture: it goes dark.": "Thông báo khẩn #%(id)d đang dùng ảnh này: thông báo sẽ không còn hình.",
    "The urgent notice is back.": "Đã khôi phục thông báo khẩn.",
    "This changes what the boards show:": "Việc này làm thay đổi nội dung trên bảng:",
    "This is not in the bin (any more).": "Mục này không (còn) nằm trong thùng rác.",
    "This notice cannot be brought back: it is not cancelled, or its time is over.": "Không khôi phục được thông báo này: nó chưa bị huỷ, hoặc đã hết giờ.",
    "Undo in the bin": "Hoàn tác trong Thùng rác",
    "What was deleted in the last %(days)d days. Bringing something back puts it where it was (in its playlists, on its boards).": "Những gì đã xoá trong %(days)d ngày qua. Khôi phục sẽ đưa nội dung về chỗ cũ (trong danh sách phát, trên bảng).",
    "You can bring it back from the bin within %(days)d days.": "Có thể khôi phục từ Thùng rác trong vòng %(days)d ngày.",
    "In the bin; not played. Bring it back from the bin, or take it out of the list.": "Đang trong thùng rác, không phát. Khôi phục từ Thùng rác, hoặc bỏ mục này khỏi danh sách.",
    "%(n)s transmission problems (commands sent again, or replies that could not be read)": "%(n)s lần trục trặc đường truyền (lệnh phải gửi lại, hoặc trả lời không đọc được)",
    "Cable to the board": "Kết nối cáp tới bảng",
    "Checksum the board reported for its picture": "Mã kiểm tra hình ảnh do bảng gửi về",
    "Commands the board confirmed since the player started": "Số lệnh bảng đã xác nhận từ khi bộ phát khởi động",
    "Frames sent for this item": "Số khung hình đã gửi cho mục này",
    "Last error": "Lỗi gần nhất",
    "Last sign of life from the player": "Tín hiệu gần nhất từ bộ phát",
    "No player has run this board yet: start the board's worker.": "Chưa có bộ phát nào chạy bảng này: hãy khởi động bộ phát của bảng.",
    "No sign of life from the board's player for %(seconds)d s: it has stopped or its computer is off.": "Đã %(seconds)d giây không có tín hiệu từ bộ phát của bảng: bộ phát đã dừng hoặc máy tính của nó đã tắt.",
    "Technical details": "Chi tiết kỹ thuật",
    "The admin cannot reach Redis, so it cannot tell what the board does.": "Trang quản trị không kết nối được Redis nên không biết bảng đang làm gì.",
    "The board does not answer on its cable: %(error)s": "Bảng không trả lời qua cáp: %(error)s",
    "The board plays «%(playing)s» but its schedule says «%(expected)s».": "Bảng đang phát «%(playing)s» nhưng theo lịch phải là «%(expected)s».",
    "switched off (off hours)": "tắt (ngoài giờ bật bảng)",
    "TPM2 (pixel stream)": "TPM2 (luồng điểm ảnh)",
    "flip-dot board": "bảng lật chấm (flip-dot)",
    "the controller's own protocol": "giao thức riêng của bộ điều khiển",
    "red": "đỏ",
    "amber": "vàng hổ phách",
    "green": "xanh lá",
    "white": "trắng",
    "blue": "xanh dương",
    "LED colour (one-colour boards)": "Màu đèn LED (bảng một màu)",
    "Every board is one-colour: the slogan lights in each board's LED colour, so there is no colour to choose.": "Các bảng đều là bảng một màu: khẩu hiệu sáng theo màu đèn LED của từng bảng, nên không cần chọn màu.",
    "The picture waited too long and is gone; choose it again.": "Ảnh đã chờ quá lâu nên đã bị bỏ; hãy chọn lại ảnh.",
    "This picture is in colour, but these boards light in one colour only: they show it as dots, lit or dark, like this.": "Ảnh này có màu, nhưng các bảng dưới đây chỉ sáng một màu: ảnh sẽ hiện thành các chấm sáng hoặc tối, như sau.",
    "The picture on board %(name)s": "Ảnh trên bảng %(name)s",
    "Pictures with large shapes and strong contrast read best. Save it anyway, or choose another picture.": "Ảnh có hình khối lớn, tương phản mạnh sẽ dễ đọc nhất. Vẫn lưu ảnh này, hoặc chọn ảnh khác.",
    "Save anyway": "Vẫn lưu",
    "Choose another picture": "Chọn ảnh khác",
    "on the board: %(time)s": "trên bảng: %(time)s",
    "on the board: about %(time)s": "trên bảng: khoảng %(time)s",
    "each time of the brightness table once": "mỗi mốc giờ trong bảng độ sáng chỉ một lần",
    "On/off hours and brightness": "Giờ bật/tắt và độ sáng",
    "Preview on the chosen boards": "Xem trước trên các bảng đã chọn",
    "The notice on board %(name)s": "Thông báo trên bảng %(name)s",
    "A copy of everything staff made here (boards, slogans, banners, playlists, campaigns, schedules) to keep safe or to move to another computer. The .zip file holds the banner pictures too: upload it below, here or on the other computer, to bring it all back.": "Bản sao mọi thứ đã làm ở đây (bảng, khẩu hiệu, băng rôn, danh sách phát, đợt tuyên truyền, lịch phát) để cất giữ hoặc chuyển sang máy khác. Tệp .zip có cả ảnh băng rôn: tải tệp lên ở mục dưới, tại đây hoặc trên máy kia, để khôi phục tất cả.",
    "A .zip file downloaded above (or a .toml file prepared by the technician). Everything in it is checked first: if anything is wrong, nothing is changed and the page says what to fix. Nothing here is deleted: what the file names is added, or replaced by the file's version (a playlist takes the file's items); importing the same file twice changes nothing.": "Tệp .zip đã tải về ở trên (hoặc tệp .toml do kỹ thuật viên chuẩn bị). Mọi thứ trong tệp được kiểm tra trước: nếu có gì sai, không có gì thay đổi và trang sẽ nói cần sửa gì. Không có gì ở đây bị xoá: nội dung có trong tệp được thêm vào, hoặc thay bằng bản trong tệp (danh sách phát lấy các mục trong tệp); nhập cùng một tệp hai lần không thay đổi gì.",
}


def main() -> int:
    """Extract, translate, write and compile; non-zero naming what is untranslated."""
    pot = OUT.parent.parent / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "--no-location",
                    "--sort-output", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "N_",
                    "-k", "N_plural:1,2", "-k", "lazy_gettext", "-o", str(pot), str(ROOT / "signage")], check=True, cwd=ROOT)
    with pot.open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key not in VI:
            missing.append(key)
            continue
        message.string = VI[key]
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "messages.po").open("wb") as fh:
        write_po(fh, catalog, omit_header=False, no_location=True)
    with (OUT / "messages.mo").open("wb") as fh:
        write_mo(fh, catalog)
    pot.unlink()
    for key in missing:
        print(f"no Vietnamese for: {key!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
