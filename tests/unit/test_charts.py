"""The SVG chart geometry: whole units, scaled to the largest, stacks and gaps."""

from __future__ import annotations

from decimal import Decimal

from kredin.charts import column_chart, line_chart

D = Decimal


def test_columns_scale_to_the_tallest_and_stack_from_the_axis():
    chart = column_chart(
        [("a", [("x", D("100")), ("y", D("50"))]), ("b", [("x", D("75")), ("y", D("0"))])],
        width=200,
        height=180,
        gap=10,
    )

    # The axis at 160, 150 drawable units (10 kept above); the tallest column is 150.
    first, second = chart.columns
    assert [(s.y, s.height) for s in first.segments] == [(60, 100), (10, 50)]
    assert [(s.y, s.height) for s in second.segments] == [(85, 75), (85, 0)]
    assert (first.x, first.width, first.label_x) == (5, 90, 50)
    assert first.total == D("150")


def test_a_lone_credit_is_drawn_by_its_size_but_not_in_a_stack():
    lone = column_chart([("a", [("x", D("-30"))]), ("b", [("x", D("60"))])], height=150)
    stacked = column_chart([("a", [("x", D("60")), ("y", D("-30"))])], height=150)

    assert [c.segments[0].height for c in lone.columns] == [60, 120]
    assert [s.height for s in stacked.columns[0].segments] == [120, 0]


def test_a_line_breaks_where_a_value_is_unknown():
    chart = line_chart(
        [("a", D("10")), ("b", None), ("c", D("20")), ("d", D("0"))], width=400, height=130
    )

    # 100 drawable units, the highest value 20; slots of 100 with points in their middle.
    assert [(p.x, p.y) for p in chart.points] == [(50, 60), (150, None), (250, 10), (350, 110)]
    assert chart.lines == ["50,60", "250,10 350,110"]


def test_no_values_draw_nothing():
    assert column_chart([("a", [("x", D("0"))])]).columns[0].segments[0].height == 0
    assert line_chart([("a", None)]).lines == []
