-- Schema version 6: 亩均效益综合评价 — evaluation schemes (评价方案), manual
-- class adjustments (调档) with their audit trail, and alert (预警) thresholds.
--
-- eval_schemes: a scheme's name and class cut-offs (percent of the parks
--   evaluated, by rank: A if rank ≤ ceil(n × class_a %), …, D the rest).
-- eval_indicators: a scheme's indicators in order. metric is a metric id of
--   metric_values; label/unit name an indicator the way the scheme's rules do
--   (e.g. 亩均销售收入) and are used when the catalogue does not know the metric.
--   benchmark_kind: 'mean' or 'max' of the parks evaluated ('max' = the best,
--   the smallest when lower is better), or 'value' (benchmark_value).
-- eval_adjustments: every 调档, never updated or deleted; the latest row per
--   scheme × peer set × period × park is in force (初评 → 调整后).
-- alert_settings: one row per threshold; defaults in parkbench/models/alerts.py.
--
-- The presets of docs (evaluation.md) are inserted here as editable schemes.
-- Indicators no metric provides yet (单位能耗增加值 …) are kept and listed as
-- 缺报, never dropped (they scored 0 until 008_eval_missing_rule.sql gave each
-- scheme a rule for 缺报).

create sequence if not exists eval_scheme_id_seq start 1;
create sequence if not exists eval_adjustment_id_seq start 1;

create table if not exists eval_schemes (
    scheme_id  integer primary key default nextval('eval_scheme_id_seq'),
    name       varchar not null unique,
    class_a    double not null,
    class_b    double not null,
    class_c    double not null,
    is_preset  boolean not null default false,
    note       varchar,
    updated_at timestamp not null default current_timestamp,
    check (0 < class_a and class_a < class_b and class_b < class_c and class_c <= 100)
);

create table if not exists eval_indicators (
    scheme_id       integer not null,
    position        integer not null,
    metric          varchar not null,
    label           varchar,
    unit            varchar,
    direction       varchar not null check (direction in ('higher', 'lower')),
    weight          double not null check (weight > 0),
    benchmark_kind  varchar not null check (benchmark_kind in ('mean', 'max', 'value')),
    benchmark_value double check (benchmark_value is null or benchmark_value > 0),
    cap             double check (cap is null or cap > 0),
    primary key (scheme_id, position)
);

create table if not exists eval_adjustments (
    adjustment_id integer primary key default nextval('eval_adjustment_id_seq'),
    scheme_id     integer not null,
    scheme_name   varchar not null,       -- as it was named when adjusted
    peer_set      varchar not null,       -- a peer group's name, or '' for every park with data
    period        date not null,
    park_id       integer not null,
    park          varchar not null,
    from_class    varchar not null check (from_class in ('A', 'B', 'C', 'D')),
    to_class      varchar not null check (to_class in ('A', 'B', 'C', 'D')),
    reason        varchar not null check (length(trim(reason)) > 0),
    adjusted_by   varchar not null check (length(trim(adjusted_by)) > 0),
    adjusted_at   timestamp not null default current_timestamp
);

create table if not exists alert_settings (
    setting    varchar primary key,
    value      double not null,
    updated_at timestamp not null default current_timestamp
);

-- Presets (docs: evaluation.md). Fixed benchmarks are annual figures: 亩均税收
-- is compared on its annualised value; the other 亩均 figures are cumulative,
-- so a December evaluation compares whole years.
insert into eval_schemes (name, class_a, class_b, class_c, is_preset, note) values
    ('园区对标（本应用默认）', 20, 60, 95, true,
     '亩均税收、亩均产值、主导产业占比以参评园区平均为基准，两项累计增速以 10% 为基准。'),
    ('浙江式（规上，台州黄岩 2022）', 20, 60, 95, true,
     '基准值为台州黄岩 2022 年公布数；亩均税收按年化值比较。'),
    ('江苏式（淮安 2024）', 20, 60, 95, true,
     '淮安以约 2 倍上年全县平均为基准；此处默认以参评园区平均为基准，可改为固定数值。'),
    ('安徽式（一市规上）', 25, 70, 95, true,
     '基准默认取参评园区平均，可改为本地公布数值。');

insert into eval_indicators (scheme_id, position, metric, label, unit, direction, weight, benchmark_kind, benchmark_value, cap)
select s.scheme_id, i.position, i.metric, i.label, i.unit, 'higher', i.weight, i.kind, i.bench, null
from eval_schemes as s
join (values
    ('园区对标（本应用默认）', 1, 'tax_per_mu', '亩均税收', '万元/亩', 40, 'mean', null),
    ('园区对标（本应用默认）', 2, 'output_per_mu', '亩均产值', '万元/亩', 25, 'mean', null),
    ('园区对标（本应用默认）', 3, 'leading_share', '主导产业占比', '%', 15, 'mean', null),
    ('园区对标（本应用默认）', 4, 'output_ytd_yoy', '产值累计同比', '%', 10, 'value', 10),
    ('园区对标（本应用默认）', 5, 'tax_ytd_yoy', '税收累计同比', '%', 10, 'value', 10),
    ('浙江式（规上，台州黄岩 2022）', 1, 'tax_per_mu_annual', '亩均税收', '万元/亩', 30, 'value', 24.097),
    ('浙江式（规上，台州黄岩 2022）', 2, 'value_added_per_mu', '亩均增加值', '万元/亩', 20, 'value', 136.16),
    ('浙江式（规上，台州黄岩 2022）', 3, 'value_added_per_energy', '单位能耗增加值', '万元/吨标煤', 20, 'value', 2.694),
    ('浙江式（规上，台州黄岩 2022）', 4, 'value_added_per_emission', '单位排放增加值', '万元/吨', 10, 'value', 4929.81),
    ('浙江式（规上，台州黄岩 2022）', 5, 'labour_productivity', '全员劳动生产率', '万元/人·年', 10, 'value', 18.14),
    ('浙江式（规上，台州黄岩 2022）', 6, 'rd_intensity', 'R&D占比', '%', 10, 'value', 3.02),
    ('江苏式（淮安 2024）', 1, 'tax_per_mu', '亩均税收', '万元/亩', 45, 'mean', null),
    ('江苏式（淮安 2024）', 2, 'revenue_per_mu', '亩均销售收入', '万元/亩', 35, 'mean', null),
    ('江苏式（淮安 2024）', 3, 'tax_per_energy', '单位能耗税收', '万元/吨标煤', 20, 'mean', null),
    ('安徽式（一市规上）', 1, 'tax_per_mu', '亩均税收', '万元/亩', 45, 'mean', null),
    ('安徽式（一市规上）', 2, 'revenue_per_mu', '亩均销售收入', '万元/亩', 20, 'mean', null),
    ('安徽式（一市规上）', 3, 'value_added_per_energy', '单位能耗增加值', '万元/吨标煤', 15, 'mean', null),
    ('安徽式（一市规上）', 4, 'rd_intensity', '研发投入强度', '%', 15, 'mean', null),
    ('安徽式（一市规上）', 5, 'labour_productivity', '全员劳动生产率', '万元/人·年', 5, 'mean', null)
) as i(scheme, position, metric, label, unit, weight, kind, bench) on i.scheme = s.name;
