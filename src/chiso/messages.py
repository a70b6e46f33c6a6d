"""The message catalogue: one Vietnamese text per rule, translated through gettext.

Rules are stable identifiers (tests and scripts match on them); texts are for people. The
Vietnamese text is the msgid; its English lives in ``chiso/locale/en/LC_MESSAGES/django.po``
like every other user-facing string (:mod:`chiso.i18n`).
"""

from __future__ import annotations

from typing import Any

from chiso.i18n import gettext, gettext_noop

CATALOGUE: dict[str, str] = {
    # --- reading files -------------------------------------------------------------------
    "file.not_found": gettext_noop("không tìm thấy tệp"),
    "file.empty": gettext_noop("tệp rỗng, không có dữ liệu"),
    "file.format": gettext_noop("không đọc được định dạng tệp ({format}); dùng CSV hoặc XLSX"),
    "file.unreadable": gettext_noop("không đọc được tệp: {reason}"),
    "file.encoding": gettext_noop("không nhận ra bảng mã; lưu tệp dưới dạng UTF-8"),
    "file.no_header": gettext_noop("thiếu dòng tiêu đề"),
    "file.header_empty": gettext_noop("tên cột trống"),
    "file.header_duplicate": gettext_noop("cột '{name}' xuất hiện hai lần"),
    "file.no_unit_column": gettext_noop(
        "thiếu cột đơn vị: cần cột 'unit' (hoặc 'đơn vị'), và các cột mã tiêu chí; "
        "hoặc dạng dài với các cột unit, node, value"
    ),
    "file.no_node_columns": gettext_noop("không có cột mã tiêu chí nào bên cạnh cột đơn vị"),
    "file.ragged_row": gettext_noop("dòng có {found} ô nhưng tiêu đề có {expected} cột"),
    "file.no_rows": gettext_noop("tệp chỉ có tiêu đề, không có đơn vị nào"),
    "file.too_many_problems": gettext_noop("còn {count} lỗi khác không liệt kê"),
    "file.too_many_rows": gettext_noop("tệp có hơn {limit} dòng: không phải phiếu của khung này"),
    # --- values ----------------------------------------------------------------------------
    "value.not_number": gettext_noop("'{value}' không phải là số"),
    "value.decimal_comma": gettext_noop(
        "'{value}' dùng dấu phẩy thập phân; ghi {suggest} hoặc chạy với --decimal-comma"
    ),
    "value.negative": gettext_noop("giá trị {value} nhỏ hơn 0"),
    "value.below_min": gettext_noop("giá trị {value} nhỏ hơn mức thấp nhất {min} của {node}"),
    "value.above_max": gettext_noop("giá trị {value} vượt điểm tối đa {max} của {node}"),
    "value.bad_choice": gettext_noop(
        "'{value}' không phải là lựa chọn của {node} (các lựa chọn: {options})"
    ),
    "value.bad_yes_no": gettext_noop("'{value}' không phải là có/không của {node}"),
    "value.outside_bands": gettext_noop("giá trị {value} nằm ngoài các khoảng của {node}"),
    "value.bad_flag": gettext_noop("'{value}' không phải là có/không"),
    "unit.empty": gettext_noop("tên đơn vị trống"),
    "unit.duplicate": gettext_noop("đơn vị '{unit}' đã có ở dòng {first_row}"),
    "unit.unknown": gettext_noop("không có đơn vị '{unit}' trong dữ liệu"),
    "unit.unknown_similar": gettext_noop(
        "không có đơn vị '{unit}' trong dữ liệu; tên gần giống: {names}"
    ),
    "node.unknown": gettext_noop("mã '{node}' không có trong khung tiêu chí {framework}"),
    "node.duplicate_value": gettext_noop(
        "đơn vị '{unit}' đã có giá trị cho {node} ở dòng {first_row}"
    ),
    "node.inconsistent": gettext_noop(
        "giá trị {value} của {node} khác tổng hợp từ các mục con ({computed})"
    ),
    # --- framework files -----------------------------------------------------------------
    "framework.unknown": gettext_noop(
        "không có khung tiêu chí '{code}' (chạy 'chiso frameworks list')"
    ),
    "framework.yaml": gettext_noop("lỗi cú pháp YAML: {reason}"),
    # --- any YAML file (chiso.yamlfiles) ---------------------------------------------------
    "yaml.alias": gettext_noop(
        "không chấp nhận neo và tham chiếu YAML (&{name}, *{name}): hãy viết đầy đủ giá trị "
        "ở mỗi chỗ dùng"
    ),
    "yaml.too_deep": gettext_noop("các giá trị lồng nhau quá {limit} tầng"),
    "yaml.too_many_nodes": gettext_noop("tệp có hơn {limit} giá trị"),
    "yaml.too_large": gettext_noop("tệp YAML lớn hơn {limit} MB"),
    "yaml.bad_value": gettext_noop("không đọc được giá trị '{value}': {reason}"),
    "framework.not_mapping": gettext_noop("cần một bảng khóa: giá trị ở đây"),
    "framework.missing_key": gettext_noop("thiếu khóa bắt buộc '{key}'"),
    "framework.unknown_key": gettext_noop("khóa '{key}' không được biết đến"),
    "framework.bad_type": gettext_noop("'{key}' phải là {expected}"),
    "framework.bad_format": gettext_noop(
        "phiên bản định dạng {found} không được hỗ trợ (chỉ có 1)"
    ),
    "framework.bad_choice": gettext_noop(
        "'{key}' = '{value}' không hợp lệ; dùng một trong: {allowed}"
    ),
    "framework.not_nfc": gettext_noop("'{key}' không ở dạng chuẩn Unicode NFC (chữ có dấu tổ hợp)"),
    "framework.duplicate_code": gettext_noop("mã '{code}' trùng với mã ở dòng {first_line}"),
    "framework.bad_code": gettext_noop("mã '{code}' phải là số thứ tự dạng 3, 3.2, 3.2.1"),
    "framework.reserved_code": gettext_noop(
        "mã '{code}' được dành cho tổng điểm của khung tiêu chí; hãy dùng số thứ tự khác"
    ),
    "framework.code_outside_parent": gettext_noop(
        "mã '{code}' không bắt đầu bằng mã cha '{parent}.'"
    ),
    "framework.sum_mismatch": gettext_noop(
        "tổng điểm tối đa của các mục con ({children}) khác điểm tối đa của '{code}' ({max})"
    ),
    "framework.bad_max": gettext_noop("điểm tối đa '{value}' không hợp lệ"),
    "framework.min_above_max": gettext_noop("mức thấp nhất {min} lớn hơn điểm tối đa {max}"),
    "framework.rule_unknown": gettext_noop(
        "loại quy tắc chấm điểm '{kind}' không được biết đến; dùng một trong: {allowed}"
    ),
    "framework.rule_on_parent": gettext_noop(
        "quy tắc chấm điểm chỉ dùng cho tiêu chí lá, '{code}' có mục con"
    ),
    "framework.rule_needs_max": gettext_noop("quy tắc '{kind}' cần điểm tối đa của '{code}'"),
    "framework.band_overlap": gettext_noop("khoảng '{band}' chồng lên khoảng '{other}'"),
    "framework.band_gap": gettext_noop(
        "có khoảng trống giữa {low} và {high}: không khoảng nào chứa các giá trị này"
    ),
    "framework.band_empty": gettext_noop("khoảng '{band}' rỗng (min ≥ below)"),
    "framework.ungraded_without_gap": gettext_noop(
        "có 'ungraded' (giá trị giữa các khoảng không được xếp loại) nhưng các khoảng "
        "không để trống giá trị nào: bỏ 'ungraded'"
    ),
    "framework.band_points": gettext_noop(
        "điểm {points} của khoảng '{band}' vượt điểm tối đa {max}"
    ),
    "framework.choice_duplicate": gettext_noop("lựa chọn '{value}' lặp lại"),
    "framework.weight_missing": gettext_noop(
        "'{code}' thuộc nút tính bình quân gia quyền nhưng thiếu 'weight'"
    ),
    "framework.no_nodes": gettext_noop("khung tiêu chí không có nút nào"),
    "framework.head_proposal_unknown": gettext_noop(
        "đề nghị '{proposal}' không có trong danh sách 'proposals' của xếp loại người đứng đầu"
    ),
    "framework.head_needs_groups": gettext_noop(
        "xếp loại người đứng đầu theo nhóm cần 'scoring.groups' chia theo khoảng (bands)"
    ),
    "framework.head_group_missing": gettext_noop(
        "nhóm '{group}' không thuộc xếp loại nào của người đứng đầu"
    ),
    "framework.years": gettext_noop("năm bắt đầu {start} sau năm kết thúc {end}"),
    # --- criteria tables (Word / Excel) ----------------------------------------------------
    "table.no_header": gettext_noop(
        "không tìm thấy bảng tiêu chí: cần một dòng tiêu đề có các cột STT, Nội dung và Điểm tối đa"
    ),
    "table.no_rows": gettext_noop("bảng tiêu chí không có mục nào"),
    "table.too_many_nodes": gettext_noop(
        "bảng tiêu chí có hơn {limit} mục: một bộ tiêu chí thật có vài trăm"
    ),
    "table.too_large": gettext_noop(
        "vùng {range} trải trên {cells} ô, quá {limit} ô của một bảng tiêu chí"
    ),
    "table.merge_too_large": gettext_noop(
        "các ô gộp đến {range} trải trên {cells} ô, quá {limit} ô gộp của một bảng"
    ),
    "file.unpacked_too_large": gettext_noop("tệp giải nén ra hơn {limit} MB"),
    # --- Word and Excel files (chiso.office) ----------------------------------------------
    "file.too_many_parts": gettext_noop(
        "tệp có {count} phần, quá {limit} phần của một tệp Word hoặc Excel"
    ),
    "file.part_too_large": gettext_noop("phần {part} của tệp giải nén ra hơn {limit} MB"),
    "file.compression_ratio": gettext_noop(
        "phần {part} của tệp bị nén {ratio} lần, quá {limit} lần của một tệp Word hoặc Excel "
        "thật (có thể là bom nén)"
    ),
    "file.too_many_elements": gettext_noop(
        "tệp có hơn {limit} phần tử XML (ô, đoạn văn…): quá lớn để đọc; hãy chia nhỏ tệp "
        "hoặc gửi dạng CSV"
    ),
    "file.too_many_table_rows": gettext_noop("bảng có hơn {limit} dòng"),
    "file.too_many_cells": gettext_noop("bảng có hơn {limit} ô"),
    "table.merged_points": gettext_noop(
        "ô điểm được gộp qua các dòng {first}–{last}, che điểm của các dòng dưới: "
        "mỗi dòng cần ô điểm của riêng nó"
    ),
    "table.no_outline": gettext_noop("dòng có điểm nhưng không có số thứ tự ('{content}')"),
    "table.no_content": gettext_noop("mục '{number}' không có nội dung"),
    "table.points_not_number": gettext_noop("'{value}' ở cột điểm không phải là số"),
    "table.points_negative": gettext_noop("điểm tối đa {value} nhỏ hơn 0"),
    "table.sum_mismatch": gettext_noop(
        "tổng điểm tối đa của các mục con của '{number}' ({children}) khác điểm tối đa "
        "của mục này ({max})"
    ),
    "table.total_mismatch": gettext_noop(
        "tổng điểm tối đa của các mục cấp 1 ({children}) khác dòng tổng điểm ({max})"
    ),
    "table.bad_source": gettext_noop(
        "nguồn điểm '{value}' không được biết đến (Tự đánh giá; Tự chấm, thẩm định; "
        "Điều tra xã hội học; Cơ quan cấp trên đánh giá; Số liệu; Kết hợp)"
    ),
    "table.numeric_outline": gettext_noop(
        "số thứ tự '{number}' nằm trong ô kiểu số nên không biết các chữ số đã ghi (1.10 được "
        "lưu thành 1.1): định dạng ô là văn bản (Text) rồi ghi lại số thứ tự"
    ),
    "table.level_no_points": gettext_noop(
        "mục '{number}': mức '{line}' không ghi điểm, trong khi các mức cùng cấp có điểm: ghi "
        "điểm của mức ở cuối dòng hoặc ở cột điểm"
    ),
    "table.level_deduction_no_max": gettext_noop(
        "mục '{number}' trừ điểm theo từng lỗi ('{line}') nhưng không có điểm tối đa để trừ dần"
    ),
    "table.level_mixed": gettext_noop(
        "mục '{number}': mức '{line}' không phải một khoảng tỷ lệ (%) trong khi các mức khác là "
        "khoảng tỷ lệ: ghi mọi mức theo tỷ lệ, hoặc không mức nào"
    ),
    "table.level_duplicate": gettext_noop("mục '{number}': mức '{line}' lặp lại"),
    "table.level_range_open_low": gettext_noop(
        "mục '{number}': mức '{line}' không tính giá trị đầu khoảng ('trên …%'), nên không rõ "
        "giá trị đó thuộc mức nào: ghi 'từ …% đến dưới …%'"
    ),
    "table.level_range_closed_high": gettext_noop(
        "mục '{number}': mức '{line}' tính cả giá trị cuối khoảng ('đến …%'), nên giá trị đó có "
        "thể thuộc hai mức: ghi 'từ …% đến dưới …%'"
    ),
    "table.level_range_exact": gettext_noop(
        "mục '{number}': mức '{line}' chỉ ghi một tỷ lệ, không phải một khoảng: ghi 'từ …% đến "
        "dưới …%', 'dưới …%' hoặc 'từ …% trở lên'"
    ),
    "table.level_range_number": gettext_noop(
        "mục '{number}': không đọc được tỷ lệ trong mức '{line}'"
    ),
    "table.level_range_empty": gettext_noop(
        "mục '{number}': khoảng tỷ lệ của mức '{line}' rỗng (đầu khoảng không nhỏ hơn cuối khoảng)"
    ),
    "table.level_overlap": gettext_noop(
        "mục '{number}': khoảng tỷ lệ của mức '{line}' trùng với mức '{other}'"
    ),
    "table.level_gap": gettext_noop(
        "mục '{number}': không mức nào cho điểm khi tỷ lệ từ {low}% đến dưới {high}%"
    ),
    "table.level_points_conflict": gettext_noop(
        "mức '{line}' ghi {in_text} điểm trong nội dung nhưng {in_column} điểm ở cột điểm"
    ),
    "table.level_on_parent": gettext_noop(
        "mục '{number}' có mục con nên không có mức điểm riêng ('{line}'): đặt các mức dưới mục "
        "con được chấm theo chúng"
    ),
    "table.level_max": gettext_noop(
        "điểm tối đa của mục '{number}' ({max}) khác điểm của mức cao nhất của nó ({best})"
    ),
    "table.level_top": gettext_noop("mục '{number}': không mức nào cho điểm khi tỷ lệ đạt {high}%"),
    "outline.bad": gettext_noop("'{number}' không phải là số thứ tự (1, 1.1, I, a…)"),
    "outline.orphan": gettext_noop(
        "số thứ tự '{number}' không nằm dưới mục cha của nó ('{parent}')"
    ),
    "outline.duplicate": gettext_noop("số thứ tự '{number}' lặp lại (đã có ở dòng {first_row})"),
    "outline.too_deep": gettext_noop(
        "số thứ tự '{number}' sâu {levels} cấp, quá {limit} cấp của một bảng tiêu chí"
    ),
    "outline.skipped": gettext_noop(
        "số thứ tự '{number}' không liền sau '{previous}': thiếu hoặc nhảy số"
    ),
    # --- surveys --------------------------------------------------------------------------
    "survey.no_column": gettext_noop("không có cột '{name}'"),
    "survey.weight_missing": gettext_noop("thiếu trọng số"),
    "survey.weight_not_number": gettext_noop("trọng số '{value}' không phải là số"),
    "survey.weight_not_positive": gettext_noop("trọng số {value} phải lớn hơn 0"),
    "survey.design_blank": gettext_noop("ô '{name}' trống: mọi người trả lời cần có giá trị này"),
    "survey.lonely_psu": gettext_noop(
        "tầng '{stratum}' chỉ có một đơn vị mẫu cấp 1 (PSU); chọn --lonely-psu certainty, "
        "adjust hoặc average"
    ),
    "survey.lonely_policy": gettext_noop("--lonely-psu '{value}' không hợp lệ; dùng: {allowed}"),
    "survey.bad_weights": gettext_noop("trọng số phải là số dương"),
    "survey.psu_in_two_strata": gettext_noop(
        "một PSU nằm trong hai tầng; dùng nhãn PSU lồng trong tầng"
    ),
    "survey.equal_weights": gettext_noop(
        "mọi trọng số đều bằng {value}: có chắc đây là trọng số thiết kế?"
    ),
    "survey.bad_name": gettext_noop(
        "'{value}' không dùng được làm tên trường XLSForm (chữ cái Latin, số, dấu _)"
    ),
    "survey.unknown_option": gettext_noop("'{value}' không phải là lựa chọn của thang '{scale}'"),
    "survey.unknown_scale": gettext_noop("không có thang trả lời '{scale}'"),
    "survey.unknown_group": gettext_noop("không có nhóm câu hỏi '{group}'"),
    "survey.unknown_instrument": gettext_noop("không có bộ câu hỏi '{code}'"),
    "survey.xlsform": gettext_noop("pyxform không chuyển được biểu mẫu: {reason}"),
    "survey.no_id_column": gettext_noop("không có cột mã phiếu ({names}); chỉ rõ bằng --id"),
    "survey.question_missing": gettext_noop("không có cột cho câu hỏi '{question}' của bộ câu hỏi"),
    "survey.id_missing": gettext_noop("phiếu không có mã"),
    "survey.id_duplicate": gettext_noop("mã phiếu '{id}' trùng với dòng {first_row}"),
    "value.not_integer": gettext_noop("'{value}' không phải là số nguyên"),
    "value.out_of_range": gettext_noop("'{value}' nằm ngoài khoảng [{min}, {max}] của {node}"),
    "survey.nfd_normalised": gettext_noop(
        "một số chữ có dấu ở dạng tổ hợp (NFD) đã được chuẩn hóa về NFC"
    ),
    "survey.version_mismatch": gettext_noop(
        "phiếu theo phiên bản '{found}' của bộ câu hỏi, không phải '{expected}'"
    ),
    "survey.points_need_instrument": gettext_noop(
        "--points-out cần --instrument gắn với một khung tiêu chí"
    ),
    "survey.poststratum_unknown": gettext_noop(
        "nhóm '{value}' có trong mẫu nhưng không có số liệu tổng thể"
    ),
    "survey.poststratum_empty": gettext_noop(
        "nhóm '{value}' có số liệu tổng thể nhưng không có người trả lời nào"
    ),
    "survey.population_needed": gettext_noop(
        "--poststrata cần --population (tệp số dân theo từng nhóm)"
    ),
    "survey.rake_spec": gettext_noop("--rake '{value}': cần dạng CỘT=tệp_số_dân.csv"),
    "survey.repeat_unknown": gettext_noop(
        "không nhận ra tệp nhóm lặp: cần cột PARENT_KEY và các câu hỏi của đúng một nhóm lặp"
    ),
    "survey.repeat_orphan": gettext_noop("dòng thuộc phiếu '{parent}' không có trong tệp chính"),
    "survey.repeat_missing": gettext_noop("thiếu tệp của nhóm lặp '{group}' (--repeat)"),
    "survey.node_max_unknown": gettext_noop(
        "điểm tối đa của {node} chưa được công bố: không tính được điểm từ tỷ lệ"
    ),
    "survey.combined_not_linear": gettext_noop(
        "không ghi điểm và sai số chuẩn kết hợp cho {value}: có mục bị giới hạn trần (cap), "
        "điểm không phải tổ hợp tuyến tính của các tỷ lệ; 'chiso score' tự tổng hợp điểm"
    ),
    "survey.combined_max_unknown": gettext_noop(
        "không ghi điểm và sai số chuẩn kết hợp cho {value}: cần điểm tối đa chưa được công bố"
    ),
    "survey.size_not_positive": gettext_noop("quy mô phải là số dương"),
    "survey.size_zero": gettext_noop(
        "quy mô {value} phải lớn hơn 0: đơn vị không có quy mô không thể được chọn theo PPS"
    ),
    "survey.allocation_unknown": gettext_noop(
        "cách phân bổ '{value}' không hợp lệ; dùng: {allowed}"
    ),
    "survey.size_total": gettext_noop(
        "cỡ mẫu {size} phải từ 1 đến số đơn vị của khung mẫu ({population})"
    ),
    "survey.neyman_needs_variance": gettext_noop(
        "phân bổ Neyman cần --variance-col (phương sai của từng tầng)"
    ),
    "survey.size_above_stratum": gettext_noop(
        "tầng '{stratum}' chỉ có {population} đơn vị nhưng cần chọn {size}"
    ),
    "survey.variance_varies": gettext_noop(
        "tầng '{stratum}' có nhiều giá trị phương sai khác nhau: cần một giá trị cho cả tầng"
    ),
    "survey.size_missing": gettext_noop("tệp cỡ mẫu không có tầng '{stratum}'"),
    "survey.size_unknown_stratum": gettext_noop(
        "tầng '{stratum}' của tệp cỡ mẫu không có trong khung mẫu"
    ),
    "survey.thin_points": gettext_noop(
        "có ước lượng không đủ tin cậy để công bố (n hoặc CV) ở: {value}; điểm của các đơn vị "
        "này vẫn được ghi vào --points-out, xem cột Lý do của bảng ước lượng"
    ),
    "survey.pps_needs_size": gettext_noop("--method pps cần --size-col (cột quy mô)"),
    # --- the assessment cycle (web) --------------------------------------------------------
    "cycle.forbidden": gettext_noop("bạn không có quyền làm việc này"),
    "cycle.conflict": gettext_noop(
        "người khác vừa lưu mục này (phiên bản {current}); tải lại trang rồi lưu lại"
    ),
    "cycle.bad_transition": gettext_noop("không thể chuyển từ '{current}' sang '{target}'"),
    "cycle.unknown_node": gettext_noop("không có tiêu chí {node}"),
    "cycle.not_number": gettext_noop("'{value}' không phải là số"),
    "cycle.reason_required": gettext_noop("cần nêu lý do khi trừ điểm hoặc sửa kết quả đã công bố"),
    "cycle.not_central": gettext_noop(
        "{node} không phải là điểm điều tra hay điểm do cơ quan trung ương đánh giá"
    ),
    "cycle.empty_message": gettext_noop("nội dung trống"),
    "cycle.file_too_large": gettext_noop("tệp quá lớn (tối đa {limit} MB)"),
    "cycle.file_type": gettext_noop(
        "chỉ nhận PDF, DOCX, XLSX, PNG hoặc JPEG (kiểm tra theo nội dung tệp)"
    ),
    "cycle.not_finalised": gettext_noop("kỳ đánh giá chưa được chốt"),
    "cycle.use_publish": gettext_noop("dùng chức năng công bố"),
    "cycle.unit_incomplete": gettext_noop("cần mã và tên đơn vị"),
    "cycle.unit_exists": gettext_noop("đã có đơn vị mã {code}"),
    "cycle.unit_bad_name": gettext_noop(
        "tên đơn vị '{name}' không được chứa dấu '/' hoặc chỉ là '.'/'..': tên là một phần địa "
        "chỉ trang công khai của đơn vị"
    ),
    "map.unreadable": gettext_noop("tệp {name} không đọc được như GeoJSON hoặc TopoJSON: {reason}"),
    "map.no_names": gettext_noop(
        "tệp {name} không có đối tượng nào mang tên (thuộc tính {properties})"
    ),
    "map.name_missing": gettext_noop("cần tên của bản đồ"),
    "report.bad_colour": gettext_noop(
        "--colour '{value}': chọn group (theo nhóm) hoặc value (theo giá trị)"
    ),
    "report.not_provinces": gettext_noop(
        "các đơn vị trong tệp không phải các tỉnh, thành phố: bản đồ ô chỉ có cho tỉnh; hãy "
        "cho tệp ranh giới bằng --boundaries"
    ),
    "survey.rule_not_share": gettext_noop(
        "{node} cho điểm theo quy tắc {kind}: tỷ lệ ước lượng từ điều tra không phải giá trị "
        "của quy tắc này; hãy gắn câu hỏi vào tiêu chí tính điểm theo tỷ lệ"
    ),
    "value.se_not_linear": gettext_noop(
        "{node} đổi giá trị ra điểm theo mức hoặc lựa chọn: sai số chuẩn của giá trị không "
        "chuyển được thành sai số của điểm"
    ),
    "cycle.inner_without_parts": gettext_noop(
        "{node} được cho mà không có đủ các tiêu chí thành phần: kỳ đánh giá lưu điểm từng tiêu "
        "chí, hãy cho cả các tiêu chí của {node}"
    ),
    "cycle.role_incomplete": gettext_noop(
        "cần tên đăng nhập, vai trò và đơn vị/kỳ đánh giá mà vai trò đòi hỏi"
    ),
    "cycle.bad_date": gettext_noop("'{value}' không phải là ngày (YYYY-MM-DD)"),
    "cycle.decision_required": gettext_noop(
        "công bố cần quyết định ban hành kết quả: ghi đủ số, ngày và cơ quan ban hành"
    ),
    "cycle.decision_reused": gettext_noop(
        "bản đính chính cần quyết định riêng: quyết định số {number} đã công bố lần {revision}"
    ),
    "cycle.no_units": gettext_noop("chọn ít nhất một đơn vị"),
    "framework.table_needs": gettext_noop(
        "bảng tiêu chí Word/Excel cần mã, đối tượng và năm áp dụng của bộ tiêu chí"
    ),
    "framework.builtin_code": gettext_noop(
        "mã '{code}' là của một bộ tiêu chí có sẵn; hãy đặt mã khác"
    ),
    "framework.unchanged": gettext_noop(
        "tệp giống hệt phiên bản {version} của '{code}': không tạo phiên bản mới"
    ),
    "explanation.not_open": gettext_noop("kỳ đánh giá không ở giai đoạn giải trình"),
    "explanation.closed": gettext_noop("đã hết hạn giải trình (ngày {date})"),
    "explanation.not_cut": gettext_noop(
        "tiêu chí {node} không bị trừ điểm khi thẩm định: không có gì để giải trình"
    ),
    "explanation.use_page": gettext_noop(
        "tiêu chí {node} bị trừ điểm khi thẩm định: hãy trả lời bằng giải trình ở trang"
        " Giải trình ({url})"
    ),
    "explanation.answered": gettext_noop("giải trình của tiêu chí {node} đã được trả lời"),
    "explanation.bad_points": gettext_noop(
        "điểm khôi phục {value} phải nằm trong khoảng từ {low} đến {high}"
    ),
    "explanation.unanswered": gettext_noop(
        "còn {count} giải trình chưa được trả lời: chưa thể chốt kết quả"
    ),
    # --- compare --------------------------------------------------------------------------
    "results.bad_file": gettext_noop(
        "không phải là tệp kết quả do chiso ghi (chiso score, kết quả công bố, dữ liệu mở): "
        "{reason}"
    ),
    "results.schema": gettext_noop(
        "tệp kết quả theo lược đồ phiên bản {version}, bản chiso này chỉ đọc được đến phiên "
        "bản {known}: hãy cập nhật chiso"
    ),
    "results.no_framework": gettext_noop(
        "tệp không ghi khung tiêu chí của kết quả; chọn khung bằng --framework "
        "(các khung có cùng tiêu chí: {candidates})"
    ),
    "results.other_index": gettext_noop(
        "tệp này là kết quả của {found}, không cùng chỉ số {expected}"
    ),
    "results.history_label": gettext_noop(
        "nhãn kỳ '{label}' đã dùng cho tệp khác; ghi --history NHÃN=tệp (hoặc --label) để phân biệt"
    ),
    # --- gaps, plans, ranks (chiso.analysis) ----------------------------------------------
    "results.other_framework": gettext_noop(
        "tổng điểm của '{unit}' tính lại theo khung {framework} khác với tệp; "
        "chọn đúng khung tiêu chí bằng --framework"
    ),
    "effort.header": gettext_noop("cần hai cột: node (mã tiêu chí) và effort (công sức mỗi điểm)"),
    "effort.not_positive": gettext_noop("công sức '{value}' phải là số lớn hơn 0"),
    "plan.incomplete": gettext_noop("'{unit}' chưa đủ điểm, chưa có tổng điểm để lập kế hoạch"),
    "plan.not_ranked": gettext_noop("'{unit}' không được xếp hạng, không thể đặt mục tiêu hạng"),
    "plan.rank_too_high": gettext_noop("hạng mục tiêu {rank} không hợp lệ (hạng cao nhất là 1)"),
    "plan.unknown_group": gettext_noop("không có nhóm '{group}' (các nhóm: {groups})"),
    "ranks.total_se_missing": gettext_noop(
        "các tiêu chí có sai số chuẩn nhưng tổng điểm của {count} đơn vị không có: hãy ghi "
        "total_se (sai số chuẩn của tổng), hoặc dùng --assume-independent nếu các ước lượng "
        "của tiêu chí độc lập với nhau"
    ),
    "plan.unreachable": gettext_noop("mục tiêu cần tổng điểm {needed}, vượt điểm tối đa {max}"),
    "plan.unreachable_leaves": gettext_noop(
        "mục tiêu cần tổng điểm {needed}; nâng mọi tiêu chí đơn vị tự cải thiện được lên tối đa "
        "chỉ đạt {best} (thêm --all-sources để tính cả điểm điều tra và điểm do trung ương chấm)"
    ),
    "plans.unknown_framework": gettext_noop("không có khung tiêu chí '{framework}'"),
    "plans.import_column": gettext_noop("thiếu cột '{name}'"),
    "plans.import_too_many_rows": gettext_noop(
        "tệp có hơn {limit} dòng: quá nhiều cho một bảng phân công trách nhiệm"
    ),
    "plans.not_published": gettext_noop("kỳ đánh giá chưa công bố kết quả"),
    "plans.unit_not_in_cycle": gettext_noop("'{unit}' không được đánh giá trong kỳ này"),
    "plans.exists": gettext_noop("'{unit}' đã có kế hoạch năm {year} từ kỳ này"),
    "plans.evidence_required": gettext_noop("nhiệm vụ hoàn thành cần có tài liệu kiểm chứng"),
    "plans.bad_target": gettext_noop("mục tiêu '{value}' không hợp lệ"),
    # --- the archive of published results ------------------------------------------------
    "archive.columns": gettext_noop("thiếu cột: {columns}"),
    "archive.source_unknown": gettext_noop("nguồn '{source}' không có trong sources.yaml"),
    "archive.source_duplicate": gettext_noop("nguồn '{source}' được khai báo hai lần"),
    "archive.bad_year": gettext_noop("'{value}' không phải là năm"),
    "archive.empty": gettext_noop("ô trống"),
    "archive.no_figure": gettext_noop("dòng không có giá trị, thứ hạng hay nhóm nào"),
    "archive.bad_rank": gettext_noop("thứ hạng '{value}' phải là số nguyên từ 1 trở lên"),
    "archive.unit_unknown": gettext_noop(
        "'{unit}' không phải là một trong {count} tỉnh, thành phố của năm {year}"
    ),
    "archive.duplicate": gettext_noop("số liệu này của nguồn '{source}' đã có ở dòng {first_row}"),
    # --- settings from the environment (chiso.environment) ---------------------------------
    "setting.secret_key_missing": gettext_noop(
        "chưa đặt khoá bí mật của máy chủ (bắt buộc; CHISO_DEMO=1 chỉ cho bản trình diễn). Tạo "
        "một khoá: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    ),
    "setting.weak_secret_key": gettext_noop(
        "khoá bí mật quá yếu: cần ít nhất {length} ký tự, trong đó ít nhất {distinct} ký tự "
        "khác nhau, không ký tự nào chiếm quá một phần tư và không phải một đoạn lặp lại. Tạo "
        "một khoá: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    ),
    "setting.bad_flag": gettext_noop("'{value}' không phải là 1 (bật) hay 0 (tắt)"),
    "setting.bad_integer": gettext_noop("'{value}' không phải là số nguyên từ {minimum} trở lên"),
    "setting.bad_rate": gettext_noop(
        "'{value}' không phải là một mức như 600/m (số yêu cầu mỗi giây /s, phút /m hay giờ /h)"
    ),
    # --- API, tokens, faults, backups --------------------------------------------------------
    "token.name_missing": gettext_noop("cần tên của khoá API (hệ thống nào dùng nó)"),
    "token.bad_scope": gettext_noop(
        "quyền '{scope}' không có: chọn read (chỉ đọc) hoặc write (đọc và ghi)"
    ),
    "token.bad_days": gettext_noop("thời hạn của khoá API là từ 1 đến {most} ngày"),
    "token.too_many": gettext_noop(
        "mỗi người có nhiều nhất {most} khoá API còn hiệu lực; hãy thu hồi khoá không dùng"
    ),
    "api.not_found": gettext_noop("không tìm thấy"),
    "api.auth_required": gettext_noop("cần đăng nhập hoặc khoá API"),
    "api.bad_token": gettext_noop("khoá API không hợp lệ, đã hết hạn hoặc đã bị thu hồi"),
    "api.read_only": gettext_noop("khoá API này chỉ được đọc"),
    "api.throttled": gettext_noop("quá nhiều yêu cầu; thử lại sau {seconds} giây"),
    "api.invalid": gettext_noop("giá trị không hợp lệ: {reason}"),
    "input.out_of_range": gettext_noop("{value} nằm ngoài khoảng cho phép, từ {least} đến {most}"),
    "input.bad_year": gettext_noop("năm {value} nằm ngoài khoảng từ {least} đến {most}"),
    "input.too_long": gettext_noop("nội dung dài {length} ký tự, quá mức tối đa {most} ký tự"),
    "api.method": gettext_noop("phương thức {method} không dùng được ở địa chỉ này"),
    "request.too_large": gettext_noop(
        "yêu cầu quá lớn: nhiều nhất {limit} MB (tệp lớn nhất và biểu mẫu đi kèm); không có gì "
        "được nhận"
    ),
    "request.length_required": gettext_noop(
        "yêu cầu phải ghi rõ độ dài (Content-Length); không nhận nội dung gửi theo từng khúc"
    ),
    "request.bad_length": gettext_noop("độ dài yêu cầu (Content-Length) không phải là một số"),
    "server.database_unavailable": gettext_noop(
        "cơ sở dữ liệu tạm thời không truy cập được; dữ liệu đã lưu không mất, "
        "hãy thử lại sau ít phút"
    ),
    "cycle.disk_full": gettext_noop(
        "máy chủ hết chỗ lưu tệp; tệp chưa được lưu, hãy báo quản trị viên"
    ),
    "backup.not_empty": gettext_noop(
        "{target} không trống: chỉ khôi phục vào thư mục dữ liệu và cơ sở dữ liệu trống"
    ),
    "backup.bad_file": gettext_noop("{name} không phải là bản sao lưu của chiso: {reason}"),
    "backup.bad_database": gettext_noop(
        "bản kê (manifest.json) ghi cơ sở dữ liệu là '{database}': chỉ khôi phục cơ sở dữ liệu "
        "nằm trong tệp sao lưu ({expected}); không khôi phục gì"
    ),
    "backup.bad_member": gettext_noop(
        "'{member}' không phải là thành phần của một bản sao lưu chiso (chỉ có tệp thường "
        "database.*, evidence/<tên>, evidence/plans/<tên>, mỗi tệp một lần và có trong bản "
        "kê); không khôi phục gì"
    ),
    "backup.member_missing": gettext_noop(
        "bản kê ghi '{member}' nhưng tệp sao lưu không có; không khôi phục gì"
    ),
    "backup.member_changed": gettext_noop(
        "'{member}' có SHA-256 {computed}, khác bản kê ({recorded}): tệp sao lưu đã bị sửa "
        "hoặc bị hỏng; không khôi phục gì"
    ),
    "backup.nothing": gettext_noop(
        "không có gì để sao lưu: chưa có cơ sở dữ liệu chiso ở {where} (CHISO_DATA_DIR, "
        "DATABASE_URL)"
    ),
    "backup.evidence_missing": gettext_noop(
        "tài liệu kiểm chứng {id} ({name}): thiếu tệp {stored_name} nên bản sao lưu sẽ không có "
        "nó; chạy lại với --allow-missing để vẫn sao lưu phần còn lại"
    ),
    "backup.tool_missing": gettext_noop("thiếu chương trình {tool} (cài gói postgresql-client)"),
    "backup.tool_failed": gettext_noop("{tool} không chạy được: {reason}"),
    "verify.snapshot_mismatch": gettext_noop(
        "bản công bố lần {revision} của kỳ {cycle}: SHA-256 ghi {stored}, tính lại được {computed}"
    ),
    "verify.chain_broken": gettext_noop(
        "bản công bố lần {revision} của kỳ {cycle} ghi thay thế bản có SHA-256 {names}, nhưng "
        "bản trước nó (lần {previous}) có SHA-256 {previous_sha}: chuỗi các lần công bố bị sửa"
    ),
    "verify.revision_missing": gettext_noop(
        "kỳ {cycle} không có bản công bố lần {missing} (bản tiếp theo là lần {revision})"
    ),
    "verify.evidence_mismatch": gettext_noop(
        "tài liệu kiểm chứng {id} ({name}): SHA-256 ghi {stored}, tính lại được {computed}"
    ),
    "verify.evidence_missing": gettext_noop(
        "tài liệu kiểm chứng {id} ({name}): thiếu tệp {stored_name}"
    ),
    # --- dossier records (chiso.records) --------------------------------------------------
    "framework.metric_not_data": gettext_noop(
        "chỉ tiêu lá '{code}' có 'metric' nhưng không lấy điểm từ dữ liệu (cần source: data)"
    ),
    "framework.metric_unknown_condition": gettext_noop(
        "điều kiện '{key}' không được biết đến; dùng một trong: {allowed}"
    ),
    "engine.spark_missing": gettext_noop(
        "--engine spark cần Apache Spark nhưng chưa cài: pip install 'chiso[spark]' "
        "(hoặc dùng --engine duckdb, không cần cài thêm)"
    ),
    "record.no_column": gettext_noop("thiếu cột bắt buộc '{name}'"),
    "record.missing": gettext_noop("ô '{name}' trống: mọi hồ sơ cần có giá trị này"),
    "record.bad_time": gettext_noop(
        "'{value}' không phải là thời điểm (YYYY-MM-DD HH:MM[:SS] hoặc DD/MM/YYYY HH:MM)"
    ),
    "record.unknown_unit": gettext_noop("không có đơn vị '{value}' trong danh sách đơn vị"),
    "record.bad_choice": gettext_noop(
        "'{value}' không hợp lệ cho '{name}'; dùng một trong: {allowed}"
    ),
    "record.bad_flag": gettext_noop("'{value}' không phải là có/không (1/0, true/false)"),
    "record.bad_rating": gettext_noop("mức đánh giá '{value}' không hợp lệ; dùng 1, 2 hoặc 3"),
    "record.bad_limit": gettext_noop("số ngày làm việc '{value}' phải là số nguyên dương"),
    "record.finished_before_received": gettext_noop(
        "thời điểm kết thúc {finished} trước thời điểm tiếp nhận {received}"
    ),
    "record.due_before_received": gettext_noop(
        "hạn giải quyết {due} trước thời điểm tiếp nhận {received}"
    ),
    "record.missing_due": gettext_noop(
        "thiếu hạn giải quyết: cần cột 'due' hoặc số ngày làm việc 'limit_days'"
    ),
    "record.outcome_without_finish": gettext_noop(
        "hồ sơ có kết quả '{value}' nhưng không có thời điểm kết thúc"
    ),
    "record.finish_without_outcome": gettext_noop(
        "hồ sơ có thời điểm kết thúc nhưng không có kết quả (done, refused, withdrawn, returned)"
    ),
    "record.duplicate_id": gettext_noop("mã hồ sơ '{value}' đã có ở dòng {first_row}"),
    "record.bad_events": gettext_noop(
        "sự kiện '{value}' không hợp lệ: cần trạng_thái@YYYY-MM-DD HH:MM, cách nhau bởi ';'"
    ),
    "record.bad_period": gettext_noop(
        "kỳ '{value}' không hợp lệ: dùng YYYY-MM, YYYY-MM:YYYY-MM, YYYY-Qn hoặc YYYY"
    ),
    "record.unknown_units_spec": gettext_noop(
        "'{value}' không phải provinces-34, provinces-63 hay một tệp danh sách đơn vị"
    ),
    "record.no_data_leaves": gettext_noop(
        "khung tiêu chí {framework} không có chỉ tiêu nào tính từ hồ sơ (source: data với metric)"
    ),
    "record.unreadable": gettext_noop("không đọc được dữ liệu hồ sơ: {reason}"),
    "account.bad_email": gettext_noop("'{value}' không phải là một địa chỉ thư điện tử"),
    "account.wrong_password": gettext_noop(
        "mật khẩu hiện tại không đúng; địa chỉ thư điện tử không đổi"
    ),
    # --- a province's units and people (chiso.web.cycles.province_units) --------------------
    "units.unknown_province": gettext_noop("'{value}' không phải là một trong 34 tỉnh, thành phố"),
    "units.missing_columns": gettext_noop("thiếu cột: {columns}"),
    "units.missing_value": gettext_noop("ô này không được để trống"),
    "units.unknown_kind": gettext_noop(
        "loại đơn vị '{value}' không có: dùng sở, ban, ngành (department), "
        "xã, phường, đặc khu (commune)"
    ),
    "units.duplicate_code": gettext_noop("mã {code} đã có ở dòng {first}"),
    "units.not_official": gettext_noop(
        "mã {code} không có trong danh sách chính thức các xã, phường, đặc khu của {province}"
    ),
    "units.code_is_commune": gettext_noop(
        "mã {code} là mã chính thức của {name}: sở, ban, ngành dùng mã khác"
    ),
    "units.code_exists": gettext_noop("đã có đơn vị mã {code} ({name})"),
    "people.bad_username": gettext_noop(
        "tên đăng nhập '{value}' chỉ gồm chữ, số và các dấu @ . + - _"
    ),
    "people.duplicate_username": gettext_noop("tên đăng nhập {value} đã có ở dòng {first}"),
    "people.bad_email": gettext_noop("'{value}' không phải là địa chỉ thư điện tử"),
    "people.unknown_role": gettext_noop(
        "vai trò '{value}' không có: dùng cán bộ đơn vị (officer) hoặc quản trị (admin)"
    ),
    "people.role_needs_cycle": gettext_noop(
        "vai trò '{value}' gắn với một kỳ đánh giá: cấp ở trang quản trị sau khi mở kỳ"
    ),
    "people.officer_needs_unit": gettext_noop("cán bộ đơn vị cần mã đơn vị"),
    "people.unknown_unit": gettext_noop(
        "không có đơn vị mã {code} (trong tệp đơn vị, các xã của tỉnh hay các đơn vị đã có)"
    ),
    # --- units' lineage across the 2025 reform (chiso.web.cycles.lineage) ---------------------
    "lineage.unknown_unit": gettext_noop(
        "không có đơn vị mã {code}: nạp đơn vị trước rồi mới nạp liên kết"
    ),
    "lineage.bad_date": gettext_noop("'{value}' không phải là ngày (dd/mm/yyyy)"),
    "lineage.same_unit": gettext_noop("đơn vị {code} không thể kế thừa chính nó"),
    "lineage.duplicate": gettext_noop("liên kết này đã có ở dòng {first}"),
    "deadline.past": gettext_noop("{stage}: ngày {date} đã qua; chọn một ngày từ hôm nay trở đi"),
    "deadline.out_of_order": gettext_noop("{stage} phải sau {earlier}"),
    "deadline.no_window": gettext_noop(
        "giai đoạn: chỉ gia hạn được tự đánh giá, thẩm định hoặc giải trình"
    ),
    "deadline.stage_over": gettext_noop("giai đoạn: {stage} đã qua, không gia hạn được"),
    "deadline.date_required": gettext_noop("hạn mới: cần ngày hết hạn mới (YYYY-MM-DD)"),
    "deadline.reason_required": gettext_noop("lý do: gia hạn cần nêu lý do"),
    "deadline.unit_not_in_cycle": gettext_noop("đơn vị: '{unit}' không thuộc kỳ đánh giá này"),
    "deadline.stage_closed": gettext_noop(
        "{stage} đã qua ngày {date}: gia hạn trước khi mở giai đoạn này"
    ),
    "sheet.withdraw_closed": gettext_noop(
        "chỉ rút lại được phiếu đã nộp khi hạn tự đánh giá còn mở"
    ),
    "appraisal.file_other_unit": gettext_noop(
        "tệp là phiếu của đơn vị '{unit}', không phải của phiếu này"
    ),
    "role.field_missing": gettext_noop("{field}: cần điền cho vai trò này"),
    "role.bad_choice": gettext_noop("{field}: không có lựa chọn này"),
    "standard.missing": gettext_noop("thiếu trường bắt buộc '{name}' của chuẩn dữ liệu"),
    "standard.bad_time": gettext_noop(
        "'{value}' không phải là thời điểm theo chuẩn (yyyyMMddHHmmss, giờ Việt Nam, "
        "hoặc ISO 8601 có múi giờ)"
    ),
    "standard.time_without_zone": gettext_noop(
        "thời điểm '{value}' không có múi giờ: dùng yyyyMMddHHmmss (giờ Việt Nam) "
        "hoặc ghi múi giờ, ví dụ 2024-03-05T10:30:00+07:00"
    ),
    "standard.unknown_procedure": gettext_noop(
        "mã thủ tục hành chính '{value}' không có trong danh mục thủ tục"
    ),
    "standard.unknown_code": gettext_noop(
        "mã '{value}' của '{name}' không có trong hồ sơ cấu hình; dùng một trong: {allowed}"
    ),
    "standard.finished_without_time": gettext_noop(
        "hồ sơ ở trạng thái kết thúc '{value}' nhưng không có ngày kết thúc xử lý"
    ),
    "standard.time_while_open": gettext_noop(
        "hồ sơ có ngày kết thúc xử lý nhưng trạng thái '{value}' là đang giải quyết"
    ),
    "standard.conflicting_duplicate": gettext_noop(
        "mã hồ sơ '{value}' đã có ở bản ghi {first_row} với trạng thái khác"
    ),
    "standard.bad_profile": gettext_noop("hồ sơ cấu hình chuẩn dữ liệu thiếu hoặc sai mục '{key}'"),
    "standard.needs_catalogue": gettext_noop(
        "hồ sơ cấu hình có sẵn '{name}' chỉ có mã trạng thái và kênh; cần danh mục thủ tục "
        "(MaTTHC → cấp): viết tệp YAML có 'extends: {name}' và 'procedures'"
    ),
    "running.other_framework": gettext_noop(
        "tệp trạng thái này đang theo dõi khung tiêu chí {framework}, không phải khung đã chọn"
    ),
    "service.not_central": gettext_noop(
        "chỉ tiêu {node} được tính từ hồ sơ, không nhập điểm từ tệp (sẽ bị tính hai lần)"
    ),
    "service.month_closed": gettext_noop("tháng {period} đã chốt: số liệu không còn được cập nhật"),
    "running.needs_profile": gettext_noop(
        "tệp JSON theo chuẩn dữ liệu cần hồ sơ cấu hình (--profile)"
    ),
    "cycle.cancelled": gettext_noop(
        "kỳ đánh giá {name} đã bị hủy: không thực hiện được thao tác này"
    ),
    "cycle.cancel_published": gettext_noop(
        "kỳ đánh giá {name} đã công bố nên không hủy được; sai sót trong kết quả đã công bố "
        "được sửa bằng bản đính chính"
    ),
    "cycle.cancel_reason_required": gettext_noop("lý do: cần nêu lý do hủy kỳ đánh giá"),
}


def render(rule: str, lang: str = "vi", **params: Any) -> str:
    """The text of ``rule`` in ``lang`` ("vi" or "en") with its parameters filled in; a
    number is written as the reader writes it (``5`` not ``5.0``, ``2,5`` in Vietnamese)."""
    shown = {k: _number_shown(v, lang) for k, v in params.items()}
    return gettext(CATALOGUE[rule], lang).format(**shown)


def _number_shown(value: Any, lang: str) -> Any:
    if not isinstance(value, float) or value != value or value in (float("inf"), float("-inf")):
        return value
    text = str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.partition(".")[2])
    # the reader's decimal mark has one home; imported here, as numbers brings numpy, which a
    # command's --help must not load
    from chiso.numbers import format_number

    return format_number(value, lang, decimals)
