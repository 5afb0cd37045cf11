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
}


def main() -> int:
    """Extract, translate, write and compile; non-zero naming what is untranslated."""
    pot = OUT.parent.parent / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "--no-location",
                    "--sort-output", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "N_",
                    "-k", "lazy_gettext", "-o", str(pot), str(ROOT / "signage")], check=True, cwd=ROOT)
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
