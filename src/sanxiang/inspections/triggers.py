"""The append-only draw results (migration inspections 0002 installs the triggers with
records.immutability.protect), listed so that `sanxiang verify` checks they are in place."""

RESULT_MESSAGE = "双随机抽取结果不可修改或删除（002 第十三条；000 全过程记录办法 第二十八条）"

INSPECTIONS_PROTECTED_TABLES: dict[str, str] = {
    "inspections_drawresult": RESULT_MESSAGE,
    "inspections_drawinspector": RESULT_MESSAGE,
}
