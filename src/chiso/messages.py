"""The message catalogue: one entry per rule, in Vietnamese and English.

Rules are stable identifiers (tests and scripts match on them); texts are for people.
"""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- reading files -------------------------------------------------------------------
    "file.not_found": ("không tìm thấy tệp", "file not found"),
    "file.empty": ("tệp rỗng, không có dữ liệu", "the file is empty"),
    "file.format": (
        "không đọc được định dạng tệp ({format}); dùng CSV hoặc XLSX",
        "unsupported file format ({format}); use CSV or XLSX",
    ),
    "file.unreadable": ("không đọc được tệp: {reason}", "cannot read the file: {reason}"),
    "file.encoding": (
        "không nhận ra bảng mã; lưu tệp dưới dạng UTF-8",
        "unknown text encoding; save the file as UTF-8",
    ),
    "file.no_header": ("thiếu dòng tiêu đề", "the header row is missing"),
    "file.header_empty": ("tên cột trống", "a column has no name"),
    "file.header_duplicate": ("cột '{name}' xuất hiện hai lần", "column '{name}' appears twice"),
    "file.no_unit_column": (
        "thiếu cột đơn vị: cần cột 'unit' (hoặc 'đơn vị'), và các cột mã tiêu chí; "
        "hoặc dạng dài với các cột unit, node, value",
        "no unit column: expected a 'unit' (or 'đơn vị') column and one column per node code, "
        "or the long form with columns unit, node, value",
    ),
    "file.no_node_columns": (
        "không có cột mã tiêu chí nào bên cạnh cột đơn vị",
        "there is no node column beside the unit column",
    ),
    "file.ragged_row": (
        "dòng có {found} ô nhưng tiêu đề có {expected} cột",
        "the row has {found} cells but the header has {expected} columns",
    ),
    "file.no_rows": ("tệp chỉ có tiêu đề, không có đơn vị nào", "the file has no unit rows"),
    "file.too_many_problems": (
        "còn {count} lỗi khác không liệt kê",
        "{count} more problems not listed",
    ),
    # --- values ----------------------------------------------------------------------------
    "value.not_number": (
        "'{value}' không phải là số",
        "'{value}' is not a number",
    ),
    "value.decimal_comma": (
        "'{value}' dùng dấu phẩy thập phân; ghi {suggest} hoặc chạy với --decimal-comma",
        "'{value}' uses a decimal comma; write {suggest} or run with --decimal-comma",
    ),
    "value.negative": ("giá trị {value} nhỏ hơn 0", "value {value} is below zero"),
    "value.below_min": (
        "giá trị {value} nhỏ hơn mức thấp nhất {min} của {node}",
        "value {value} is below the minimum {min} of {node}",
    ),
    "value.above_max": (
        "giá trị {value} vượt điểm tối đa {max} của {node}",
        "value {value} is above the maximum {max} of {node}",
    ),
    "value.bad_choice": (
        "'{value}' không phải là lựa chọn của {node} (các lựa chọn: {options})",
        "'{value}' is not an option of {node} (options: {options})",
    ),
    "value.bad_yes_no": (
        "'{value}' không phải là có/không của {node}",
        "'{value}' is not a yes/no answer for {node}",
    ),
    "value.outside_bands": (
        "giá trị {value} nằm ngoài các khoảng của {node}",
        "value {value} falls in no band of {node}",
    ),
    "value.bad_flag": (
        "'{value}' không phải là có/không",
        "'{value}' is not yes/no",
    ),
    "unit.empty": ("tên đơn vị trống", "the unit name is empty"),
    "unit.duplicate": (
        "đơn vị '{unit}' đã có ở dòng {first_row}",
        "unit '{unit}' already appears in row {first_row}",
    ),
    "unit.unknown": ("không có đơn vị '{unit}' trong dữ liệu", "unit '{unit}' is not in the data"),
    "unit.unknown_similar": (
        "không có đơn vị '{unit}' trong dữ liệu; tên gần giống: {names}",
        "unit '{unit}' is not in the data; close names: {names}",
    ),
    "node.unknown": (
        "mã '{node}' không có trong khung tiêu chí {framework}",
        "code '{node}' is not in framework {framework}",
    ),
    "node.duplicate_value": (
        "đơn vị '{unit}' đã có giá trị cho {node} ở dòng {first_row}",
        "unit '{unit}' already has a value for {node} in row {first_row}",
    ),
    "node.inconsistent": (
        "giá trị {value} của {node} khác tổng hợp từ các mục con ({computed})",
        "value {value} of {node} differs from what its parts add up to ({computed})",
    ),
    # --- framework files -----------------------------------------------------------------
    "framework.unknown": (
        "không có khung tiêu chí '{code}' (chạy 'chiso frameworks list')",
        "no framework '{code}' (run 'chiso frameworks list')",
    ),
    "framework.yaml": ("lỗi cú pháp YAML: {reason}", "YAML syntax error: {reason}"),
    "framework.not_mapping": (
        "cần một bảng khóa: giá trị ở đây",
        "a mapping of keys to values is expected here",
    ),
    "framework.missing_key": ("thiếu khóa bắt buộc '{key}'", "required key '{key}' is missing"),
    "framework.unknown_key": ("khóa '{key}' không được biết đến", "unknown key '{key}'"),
    "framework.bad_type": (
        "'{key}' phải là {expected}",
        "'{key}' must be {expected}",
    ),
    "framework.bad_format": (
        "phiên bản định dạng {found} không được hỗ trợ (chỉ có 1)",
        "format version {found} is not supported (only 1)",
    ),
    "framework.bad_choice": (
        "'{key}' = '{value}' không hợp lệ; dùng một trong: {allowed}",
        "'{key}' = '{value}' is not allowed; use one of: {allowed}",
    ),
    "framework.not_nfc": (
        "'{key}' không ở dạng chuẩn Unicode NFC (chữ có dấu tổ hợp)",
        "'{key}' is not in Unicode NFC (decomposed accents)",
    ),
    "framework.duplicate_code": (
        "mã '{code}' trùng với mã ở dòng {first_line}",
        "code '{code}' duplicates the one on line {first_line}",
    ),
    "framework.bad_code": (
        "mã '{code}' phải là số thứ tự dạng 3, 3.2, 3.2.1",
        "code '{code}' must be an outline number such as 3, 3.2, 3.2.1",
    ),
    "framework.reserved_code": (
        "mã '{code}' được dành cho tổng điểm của khung tiêu chí; hãy dùng số thứ tự khác",
        "code '{code}' is reserved for the framework's total; use another outline number",
    ),
    "framework.code_outside_parent": (
        "mã '{code}' không bắt đầu bằng mã cha '{parent}.'",
        "code '{code}' does not start with its parent's code '{parent}.'",
    ),
    "framework.sum_mismatch": (
        "tổng điểm tối đa của các mục con ({children}) khác điểm tối đa của '{code}' ({max})",
        "the children's maxima add up to {children}, not to the maximum of '{code}' ({max})",
    ),
    "framework.bad_max": ("điểm tối đa '{value}' không hợp lệ", "invalid maximum '{value}'"),
    "framework.min_above_max": (
        "mức thấp nhất {min} lớn hơn điểm tối đa {max}",
        "minimum {min} is above the maximum {max}",
    ),
    "framework.rule_unknown": (
        "loại quy tắc chấm điểm '{kind}' không được biết đến; dùng một trong: {allowed}",
        "unknown scoring rule kind '{kind}'; use one of: {allowed}",
    ),
    "framework.rule_on_parent": (
        "quy tắc chấm điểm chỉ dùng cho tiêu chí lá, '{code}' có mục con",
        "a scoring rule belongs on a leaf; '{code}' has children",
    ),
    "framework.rule_needs_max": (
        "quy tắc '{kind}' cần điểm tối đa của '{code}'",
        "rule '{kind}' needs the maximum of '{code}'",
    ),
    "framework.band_overlap": (
        "khoảng '{band}' chồng lên khoảng '{other}'",
        "band '{band}' overlaps band '{other}'",
    ),
    "framework.band_gap": (
        "có khoảng trống giữa {low} và {high}: không khoảng nào chứa các giá trị này",
        "gap between {low} and {high}: no band holds these values",
    ),
    "framework.band_empty": (
        "khoảng '{band}' rỗng (min ≥ below)",
        "band '{band}' is empty (min ≥ below)",
    ),
    "framework.band_points": (
        "điểm {points} của khoảng '{band}' vượt điểm tối đa {max}",
        "points {points} of band '{band}' exceed the maximum {max}",
    ),
    "framework.choice_duplicate": (
        "lựa chọn '{value}' lặp lại",
        "option '{value}' is repeated",
    ),
    "framework.weight_missing": (
        "'{code}' thuộc nút tính bình quân gia quyền nhưng thiếu 'weight'",
        "'{code}' is under a weighted mean but has no 'weight'",
    ),
    "framework.no_nodes": ("khung tiêu chí không có nút nào", "the framework has no nodes"),
    "framework.years": (
        "năm bắt đầu {start} sau năm kết thúc {end}",
        "first year {start} is after last year {end}",
    ),
    # --- surveys --------------------------------------------------------------------------
    "survey.no_column": ("không có cột '{name}'", "there is no column '{name}'"),
    "survey.weight_missing": ("thiếu trọng số", "the weight is missing"),
    "survey.weight_not_positive": (
        "trọng số {value} phải lớn hơn 0",
        "weight {value} must be above zero",
    ),
    "survey.design_blank": (
        "ô '{name}' trống: mọi người trả lời cần có giá trị này",
        "'{name}' is blank: every respondent needs a value here",
    ),
    "survey.lonely_psu": (
        "tầng '{stratum}' chỉ có một đơn vị mẫu cấp 1 (PSU); chọn --lonely-psu certainty, "
        "adjust hoặc average",
        "stratum '{stratum}' has a single PSU; choose --lonely-psu certainty, adjust or average",
    ),
    "survey.lonely_policy": (
        "--lonely-psu '{value}' không hợp lệ; dùng: {allowed}",
        "--lonely-psu '{value}' is not allowed; use: {allowed}",
    ),
    "survey.bad_weights": (
        "trọng số phải là số dương",
        "weights must be positive numbers",
    ),
    "survey.psu_in_two_strata": (
        "một PSU nằm trong hai tầng; dùng nhãn PSU lồng trong tầng",
        "a PSU lies in two strata; use PSU labels nested in strata",
    ),
    "survey.equal_weights": (
        "mọi trọng số đều bằng {value}: có chắc đây là trọng số thiết kế?",
        "every weight equals {value}: are these really the design weights?",
    ),
    "survey.bad_name": (
        "'{value}' không dùng được làm tên trường XLSForm (chữ cái Latin, số, dấu _)",
        "'{value}' cannot be an XLSForm field name (Latin letters, digits, _)",
    ),
    "survey.unknown_option": (
        "'{value}' không phải là lựa chọn của thang '{scale}'",
        "'{value}' is not an option of scale '{scale}'",
    ),
    "survey.unknown_scale": ("không có thang trả lời '{scale}'", "no answer scale '{scale}'"),
    "survey.unknown_group": ("không có nhóm câu hỏi '{group}'", "no question group '{group}'"),
    "survey.unknown_instrument": (
        "không có bộ câu hỏi '{code}'",
        "no survey instrument '{code}'",
    ),
    "survey.xlsform": (
        "pyxform không chuyển được biểu mẫu: {reason}",
        "pyxform cannot convert the form: {reason}",
    ),
    "survey.no_id_column": (
        "không có cột mã phiếu ({names}); chỉ rõ bằng --id",
        "no submission id column ({names}); name it with --id",
    ),
    "survey.question_missing": (
        "không có cột cho câu hỏi '{question}' của bộ câu hỏi",
        "no column for the instrument's question '{question}'",
    ),
    "survey.id_missing": ("phiếu không có mã", "the submission has no id"),
    "survey.id_duplicate": (
        "mã phiếu '{id}' trùng với dòng {first_row}",
        "submission id '{id}' repeats row {first_row}",
    ),
    "value.not_integer": ("'{value}' không phải là số nguyên", "'{value}' is not a whole number"),
    "value.out_of_range": (
        "'{value}' nằm ngoài khoảng [{min}, {max}] của {node}",
        "'{value}' is outside [{min}, {max}] for {node}",
    ),
    "survey.nfd_normalised": (
        "một số chữ có dấu ở dạng tổ hợp (NFD) đã được chuẩn hóa về NFC",
        "some text was in decomposed form (NFD) and was normalised to NFC",
    ),
    "survey.version_mismatch": (
        "phiếu theo phiên bản '{found}' của bộ câu hỏi, không phải '{expected}'",
        "the responses are of instrument version '{found}', not '{expected}'",
    ),
    "survey.points_need_instrument": (
        "--points-out cần --instrument gắn với một khung tiêu chí",
        "--points-out needs an --instrument tied to a framework",
    ),
    "survey.poststratum_unknown": (
        "nhóm '{value}' có trong mẫu nhưng không có số liệu tổng thể",
        "post-stratum '{value}' is in the sample but has no population count",
    ),
    "survey.poststratum_empty": (
        "nhóm '{value}' có số liệu tổng thể nhưng không có người trả lời nào",
        "post-stratum '{value}' has a population count but no respondent",
    ),
    "survey.population_needed": (
        "--poststrata cần --population (tệp số dân theo từng nhóm)",
        "--poststrata needs --population (a file of population counts per category)",
    ),
    "survey.rake_spec": (
        "--rake '{value}': cần dạng CỘT=tệp_số_dân.csv",
        "--rake '{value}': expected COLUMN=counts-file.csv",
    ),
    "survey.repeat_unknown": (
        "không nhận ra tệp nhóm lặp: cần cột PARENT_KEY và các câu hỏi của đúng một nhóm lặp",
        "not a repeat-group file: expected PARENT_KEY and the questions of one repeat group",
    ),
    "survey.repeat_orphan": (
        "dòng thuộc phiếu '{parent}' không có trong tệp chính",
        "the row belongs to submission '{parent}', which is not in the main file",
    ),
    "survey.repeat_missing": (
        "thiếu tệp của nhóm lặp '{group}' (--repeat)",
        "the file of repeat group '{group}' is missing (--repeat)",
    ),
    "survey.node_max_unknown": (
        "điểm tối đa của {node} chưa được công bố: không tính được điểm từ tỷ lệ",
        "the maximum of {node} is not public: its points cannot be computed from a share",
    ),
    "survey.combined_not_linear": (
        "không ghi điểm và sai số chuẩn kết hợp cho {value}: có mục bị giới hạn trần (cap), "
        "điểm không phải tổ hợp tuyến tính của các tỷ lệ; 'chiso score' tự tổng hợp điểm",
        "no combined points or standard error for {value}: a capped node makes the points no "
        "linear combination of the shares; 'chiso score' aggregates the points itself",
    ),
    "survey.combined_max_unknown": (
        "không ghi điểm và sai số chuẩn kết hợp cho {value}: cần điểm tối đa chưa được công bố",
        "no combined points or standard error for {value}: they need a maximum that is not public",
    ),
    # --- the assessment cycle (web) --------------------------------------------------------
    "cycle.forbidden": ("bạn không có quyền làm việc này", "you may not do this"),
    "cycle.conflict": (
        "người khác vừa lưu mục này (phiên bản {current}); tải lại trang rồi lưu lại",
        "someone else saved this item just now (version {current}); reload and save again",
    ),
    "cycle.bad_transition": (
        "không thể chuyển từ '{current}' sang '{target}'",
        "cannot move from '{current}' to '{target}'",
    ),
    "cycle.unknown_node": ("không có tiêu chí {node}", "no criterion {node}"),
    "cycle.not_number": ("'{value}' không phải là số", "'{value}' is not a number"),
    "cycle.reason_required": (
        "cần nêu lý do khi trừ điểm hoặc sửa kết quả đã công bố",
        "a reason is required for a cut or a correction",
    ),
    "cycle.not_central": (
        "{node} không phải là điểm điều tra hay điểm do cơ quan trung ương đánh giá",
        "{node} is not a survey-sourced or centrally assessed item",
    ),
    "cycle.empty_message": ("nội dung trống", "the message is empty"),
    "cycle.file_too_large": (
        "tệp quá lớn (tối đa {limit} MB)",
        "the file is too large (at most {limit} MB)",
    ),
    "cycle.file_type": (
        "chỉ nhận PDF, DOCX, XLSX, PNG hoặc JPEG (kiểm tra theo nội dung tệp)",
        "only PDF, DOCX, XLSX, PNG or JPEG are accepted (checked by content)",
    ),
    "cycle.not_finalised": (
        "kỳ đánh giá chưa được chốt",
        "the cycle has not been finalised",
    ),
    "cycle.use_publish": ("dùng chức năng công bố", "use publish"),
    "cycle.unit_incomplete": ("cần mã và tên đơn vị", "a unit needs a code and a name"),
    "cycle.unit_exists": ("đã có đơn vị mã {code}", "a unit with code {code} exists"),
    "cycle.unit_bad_name": (
        "tên đơn vị '{name}' không được chứa dấu '/' hoặc chỉ là '.'/'..': tên là một phần địa "
        "chỉ trang công khai của đơn vị",
        "unit name '{name}' may not contain '/' nor be '.' or '..': the name is part of the "
        "unit's public address",
    ),
    "map.unreadable": (
        "tệp {name} không đọc được như GeoJSON hoặc TopoJSON: {reason}",
        "{name} cannot be read as GeoJSON or TopoJSON: {reason}",
    ),
    "map.no_names": (
        "tệp {name} không có đối tượng nào mang tên (thuộc tính {properties})",
        "{name} has no feature with a name (property {properties})",
    ),
    "map.name_missing": ("cần tên của bản đồ", "the map needs a name"),
    "report.bad_colour": (
        "--colour '{value}': chọn group (theo nhóm) hoặc value (theo giá trị)",
        "--colour '{value}': choose group or value",
    ),
    "report.not_provinces": (
        "các đơn vị trong tệp không phải các tỉnh, thành phố: bản đồ ô chỉ có cho tỉnh; hãy "
        "cho tệp ranh giới bằng --boundaries",
        "the units are not provinces: the tile grid is for provinces only; give a boundary "
        "file with --boundaries",
    ),
    "survey.rule_not_share": (
        "{node} cho điểm theo quy tắc {kind}: tỷ lệ ước lượng từ điều tra không phải giá trị "
        "của quy tắc này; hãy gắn câu hỏi vào tiêu chí tính điểm theo tỷ lệ",
        "{node} scores by a {kind} rule: a share estimated from the survey is not a value of "
        "that rule; map the question to a criterion scored in proportion",
    ),
    "value.se_not_linear": (
        "{node} đổi giá trị ra điểm theo mức hoặc lựa chọn: sai số chuẩn của giá trị không "
        "chuyển được thành sai số của điểm",
        "{node} turns its value into points by bands or choices: the value's standard error "
        "cannot be carried over to the points",
    ),
    "cycle.inner_without_parts": (
        "{node} được cho mà không có đủ các tiêu chí thành phần: kỳ đánh giá lưu điểm từng tiêu "
        "chí, hãy cho cả các tiêu chí của {node}",
        "{node} is given without all of its parts: a cycle keeps the points of each leaf, so "
        "give the leaves of {node} too",
    ),
    "cycle.role_incomplete": (
        "cần tên đăng nhập, vai trò và đơn vị/kỳ đánh giá mà vai trò đòi hỏi",
        "a user name, a role, and the unit or cycle the role needs",
    ),
    "cycle.bad_date": ("'{value}' không phải là ngày (YYYY-MM-DD)", "'{value}' is not a date"),
    "cycle.no_units": ("chọn ít nhất một đơn vị", "choose at least one unit"),
    # --- compare --------------------------------------------------------------------------
    "results.bad_file": (
        "không phải là tệp kết quả của 'chiso score': {reason}",
        "not a results file written by 'chiso score': {reason}",
    ),
    "results.other_index": (
        "tệp này là kết quả của {found}, không cùng chỉ số {expected}",
        "this file holds results of {found}, not of the same index as {expected}",
    ),
    "results.history_label": (
        "nhãn kỳ '{label}' đã dùng cho tệp khác; ghi --history NHÃN=tệp (hoặc --label) để "
        "phân biệt",
        "the cycle label '{label}' is already taken by another file; write --history LABEL=file "
        "(or --label) to tell them apart",
    ),
}


def render(rule: str, lang: str = "vi", **params: Any) -> str:
    """The text of ``rule`` in ``lang`` ("vi" or "en") with its parameters filled in."""
    vi, en = CATALOGUE[rule]
    template = en if lang == "en" else vi
    return template.format(**params)
