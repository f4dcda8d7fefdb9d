//! Synthetic demo data: a realistic 4S-store (dealership) service export, generated
//! deterministically from a seed.
//!
//! The dealer ("凯锐汽车佛山南海4S店", an invented brand) sells four series (K3, K5, X7, M8)
//! with different ticket levels. Customers are private (~80 %), official / company (~8 %) or
//! commercial operators (~12 %: taxis, ride-hailing, logistics), with their own daily mileage,
//! loyalty to the dealer, spend level and life cycle (new, regular, churned). Every vehicle gets
//! a service history — 首保 once, 定期保养 every ~5,000 km or ~6 months, repairs, accidents,
//! body & paint and modifications at their own rates — with the odometer growing from the
//! purchase date at the vehicle's own daily mileage. A few credit notes (冲红/退款) carry
//! negative amounts.
//!
//! Nothing here reads the clock or iterates a hash map: the same [`DemoOptions`] always give
//! byte-identical output.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XlsxFormat, FormatBorder, Workbook};

use crate::engine::error::Lang;
use crate::engine::table::{format_number, Cell, CellRef, Columns, Format, RawTable};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of the pseudo-random generator; the same options always give the same data.
    pub seed: u64,
    /// Number of distinct customers in the export.
    pub customers: usize,
    /// First settlement date covered by the export.
    pub start: NaiveDate,
    /// Last settlement date covered by the export.
    pub end: NaiveDate,
    /// Language of the headers and of the text values.
    pub lang: Lang,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 20240601,
            customers: 3000,
            start: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default(),
            end: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default(),
            lang: Lang::Zh,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------------------------

const HEADERS_ZH: [&str; 20] = [
    "工单号",
    "结算日期",
    "客户编号",
    "客户名称",
    "联系电话",
    "车牌号",
    "车架号(VIN)",
    "车系",
    "车型",
    "购车日期",
    "进厂里程",
    "维修类别",
    "工时费",
    "材料费",
    "实收金额",
    "所属区域",
    "车辆用途",
    "出生日期",
    "职业",
    "服务顾问",
];

const HEADERS_EN: [&str; 20] = [
    "Order No",
    "Settlement Date",
    "Customer ID",
    "Customer Name",
    "Phone",
    "Plate",
    "VIN",
    "Series",
    "Model",
    "Purchase Date",
    "Mileage",
    "Service Type",
    "Labor",
    "Parts",
    "Amount",
    "Region",
    "Vehicle Use",
    "Birth Date",
    "Occupation",
    "Service Advisor",
];

/// Number of columns of the export.
pub const COLUMNS: usize = 20;
const COL_MILEAGE: usize = 10;
const COL_LABOR: usize = 12;
const COL_PARTS: usize = 13;
const COL_AMOUNT: usize = 14;

/// Column widths (Excel character units) for the xlsx.
const WIDTHS: [f64; COLUMNS] = [
    18.0, 12.0, 10.0, 30.0, 13.0, 11.0, 20.0, 10.0, 24.0, 12.0, 10.0, 12.0, 11.0, 11.0, 12.0, 9.0,
    10.0, 12.0, 11.0, 14.0,
];

/// The header row of the export in the given language.
pub fn demo_headers(lang: Lang) -> Vec<String> {
    let h = match lang {
        Lang::Zh => &HEADERS_ZH,
        Lang::En => &HEADERS_EN,
    };
    h.iter().map(|s| (*s).to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Pseudo-random numbers: SplitMix64
// ---------------------------------------------------------------------------------------------

struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng {
            state: seed ^ 0x5DEE_CE66_D1CE_4E5B,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.f64()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Uniform index in 0..n (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform integer in lo..=hi (lo when the range is empty).
    fn int_in(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            lo
        } else {
            let width = (i64::from(hi) - i64::from(lo) + 1) as u64;
            (i64::from(lo) + (self.next_u64() % width) as i64) as i32
        }
    }

    /// Standard normal via Box–Muller.
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64(); // (0, 1]
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Lognormal with the given median and log-scale sigma.
    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Exponential waiting time for a rate (events per unit).
    fn exp(&mut self, rate: f64) -> f64 {
        if rate <= 0.0 {
            f64::INFINITY
        } else {
            -(1.0 - self.f64()).ln() / rate
        }
    }

    /// Index drawn with the given (non-negative) weights.
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// Index skewed toward the front of a list (the common surnames).
    fn skewed(&mut self, n: usize) -> usize {
        let i = (self.f64().powf(1.7) * n as f64) as usize;
        i.min(n.saturating_sub(1))
    }
}

// ---------------------------------------------------------------------------------------------
// Domain tables (zh, en)
// ---------------------------------------------------------------------------------------------

type Pair = (&'static str, &'static str);

struct Model {
    zh: &'static str,
    en: &'static str,
    /// VIN positions 4–8 (vehicle descriptor section).
    vds: &'static str,
}

struct Series {
    zh: &'static str,
    en: &'static str,
    /// Ticket level relative to the K3.
    factor: f64,
    models: &'static [Model],
}

const SERIES: [Series; 4] = [
    Series {
        zh: "凯锐K3",
        en: "Kairui K3",
        factor: 1.0,
        models: &[
            Model {
                zh: "K3 1.5L 手动舒适版",
                en: "K3 1.5L MT Comfort",
                vds: "A3B15",
            },
            Model {
                zh: "K3 1.5L 自动豪华版",
                en: "K3 1.5L AT Luxury",
                vds: "A3B25",
            },
            Model {
                zh: "K3 1.4T 自动旗舰版",
                en: "K3 1.4T AT Flagship",
                vds: "A3C34",
            },
        ],
    },
    Series {
        zh: "凯锐K5",
        en: "Kairui K5",
        factor: 1.35,
        models: &[
            Model {
                zh: "K5 1.5T 豪华版",
                en: "K5 1.5T Luxury",
                vds: "A5D25",
            },
            Model {
                zh: "K5 2.0T 旗舰版",
                en: "K5 2.0T Flagship",
                vds: "A5D30",
            },
            Model {
                zh: "K5 混动尊享版",
                en: "K5 Hybrid Premium",
                vds: "A5H2E",
            },
        ],
    },
    Series {
        zh: "凯锐X7",
        en: "Kairui X7",
        factor: 1.6,
        models: &[
            Model {
                zh: "X7 1.5T 两驱精英版",
                en: "X7 1.5T 2WD Elite",
                vds: "S7F25",
            },
            Model {
                zh: "X7 2.0T 四驱尊贵版",
                en: "X7 2.0T 4WD Prestige",
                vds: "S7G40",
            },
        ],
    },
    Series {
        zh: "凯锐M8",
        en: "Kairui M8",
        factor: 1.45,
        models: &[
            Model {
                zh: "M8 2.0T 商务版",
                en: "M8 2.0T Business",
                vds: "M8K20",
            },
            Model {
                zh: "M8 2.0T 七座豪华版",
                en: "M8 2.0T 7-seat Luxury",
                vds: "M8K27",
            },
        ],
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    First,
    Maint,
    Repair,
    Accident,
    Body,
    Modif,
}

impl Kind {
    fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Kind::First => ("首保", "First service"),
            Kind::Maint => ("定期保养", "Maintenance"),
            Kind::Repair => ("一般维修", "Repair"),
            Kind::Accident => ("事故车", "Accident"),
            Kind::Body => ("钣喷", "Body & paint"),
            Kind::Modif => ("改装", "Modification"),
        };
        pick_lang(lang, zh, en)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Usage {
    Private,
    Official,
    Commercial,
}

impl Usage {
    fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Usage::Private => ("私家车", "Private"),
            Usage::Official => ("公务车", "Official"),
            Usage::Commercial => ("营运车", "Commercial"),
        };
        pick_lang(lang, zh, en)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trade {
    Taxi,
    RideHailing,
    Logistics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    New,
    Regular,
    Churned,
}

const REGIONS: [Pair; 3] = [("市区", "City"), ("县城", "County"), ("乡镇", "Township")];
const REGION_WEIGHTS: [f64; 3] = [0.55, 0.30, 0.15];
/// Share of due services done at the dealer, by region (the seeds: county and township
/// customers drift to independent garages).
const REGION_LOYALTY: [f64; 3] = [1.0, 0.88, 0.75];

const OCCUPATIONS: [Pair; 8] = [
    ("企业职员", "Office worker"),
    ("个体经营", "Self-employed"),
    ("公务员", "Civil servant"),
    ("教师", "Teacher"),
    ("司机", "Driver"),
    ("医生", "Doctor"),
    ("自由职业", "Freelancer"),
    ("退休", "Retired"),
];
const OCC_DRIVER: usize = 4;
const OCC_SELF_EMPLOYED: usize = 1;
const OCC_RETIRED: usize = 7;
const OCC_OFFICE: usize = 0;
const PRIVATE_OCC_WEIGHTS: [f64; 8] = [0.33, 0.22, 0.07, 0.07, 0.04, 0.05, 0.11, 0.11];

const ADVISORS: [Pair; 8] = [
    ("陈志强", "Chen Zhiqiang"),
    ("李婷", "Li Ting"),
    ("黄伟明", "Huang Weiming"),
    ("梁晓敏", "Liang Xiaomin"),
    ("何俊杰", "He Junjie"),
    ("刘佳", "Liu Jia"),
    ("吴凯", "Wu Kai"),
    ("张丽华", "Zhang Lihua"),
];

const SURNAMES: [Pair; 56] = [
    ("陈", "Chen"),
    ("李", "Li"),
    ("黄", "Huang"),
    ("张", "Zhang"),
    ("梁", "Liang"),
    ("王", "Wang"),
    ("刘", "Liu"),
    ("何", "He"),
    ("林", "Lin"),
    ("罗", "Luo"),
    ("杨", "Yang"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("郭", "Guo"),
    ("冯", "Feng"),
    ("麦", "Mai"),
    ("邓", "Deng"),
    ("谢", "Xie"),
    ("赵", "Zhao"),
    ("叶", "Ye"),
    ("关", "Guan"),
    ("区", "Ou"),
    ("潘", "Pan"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("高", "Gao"),
    ("郑", "Zheng"),
    ("曾", "Zeng"),
    ("彭", "Peng"),
    ("蔡", "Cai"),
    ("卢", "Lu"),
    ("钟", "Zhong"),
    ("苏", "Su"),
    ("冼", "Xian"),
    ("邝", "Kuang"),
    ("唐", "Tang"),
    ("宋", "Song"),
    ("许", "Xu"),
    ("韩", "Han"),
    ("曹", "Cao"),
    ("袁", "Yuan"),
    ("余", "Yu"),
    ("蒋", "Jiang"),
    ("杜", "Du"),
    ("魏", "Wei"),
    ("程", "Cheng"),
    ("丁", "Ding"),
    ("沈", "Shen"),
    ("任", "Ren"),
    ("姚", "Yao"),
    ("江", "Jiang"),
    ("温", "Wen"),
    ("莫", "Mo"),
];

const GIVEN: [Pair; 60] = [
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("英", "ying"),
    ("华", "hua"),
    ("慧", "hui"),
    ("建", "jian"),
    ("国", "guo"),
    ("平", "ping"),
    ("志", "zhi"),
    ("文", "wen"),
    ("辉", "hui"),
    ("玲", "ling"),
    ("婷", "ting"),
    ("宇", "yu"),
    ("浩", "hao"),
    ("俊", "jun"),
    ("嘉", "jia"),
    ("欣", "xin"),
    ("晓", "xiao"),
    ("海", "hai"),
    ("东", "dong"),
    ("春", "chun"),
    ("雪", "xue"),
    ("梅", "mei"),
    ("兰", "lan"),
    ("红", "hong"),
    ("鹏", "peng"),
    ("斌", "bin"),
    ("飞", "fei"),
    ("林", "lin"),
    ("子", "zi"),
    ("锦", "jin"),
    ("荣", "rong"),
    ("永", "yong"),
    ("德", "de"),
    ("家", "jia"),
    ("振", "zhen"),
    ("金", "jin"),
    ("思", "si"),
    ("雨", "yu"),
    ("佳", "jia"),
    ("琳", "lin"),
    ("泽", "ze"),
    ("耀", "yao"),
];

const DISTRICTS: [Pair; 5] = [
    ("禅城区", "Chancheng"),
    ("南海区", "Nanhai"),
    ("顺德区", "Shunde"),
    ("三水区", "Sanshui"),
    ("高明区", "Gaoming"),
];

const TRADE_NAMES: [Pair; 24] = [
    ("顺达", "Shunda"),
    ("恒通", "Hengtong"),
    ("华信", "Huaxin"),
    ("宏远", "Hongyuan"),
    ("鑫源", "Xinyuan"),
    ("新诚", "Xincheng"),
    ("盛达", "Shengda"),
    ("志成", "Zhicheng"),
    ("安达", "Anda"),
    ("广联", "Guanglian"),
    ("南粤", "Nanyue"),
    ("锦程", "Jincheng"),
    ("正和", "Zhenghe"),
    ("万通", "Wantong"),
    ("瑞祥", "Ruixiang"),
    ("嘉禾", "Jiahe"),
    ("富康", "Fukang"),
    ("永盛", "Yongsheng"),
    ("联创", "Lianchuang"),
    ("天恒", "Tianheng"),
    ("金桥", "Jinqiao"),
    ("隆泰", "Longtai"),
    ("佳美", "Jiamei"),
    ("骏达", "Junda"),
];

const COMPANY_SUFFIXES: [Pair; 8] = [
    ("科技有限公司", "Technology Co., Ltd."),
    ("建设工程有限公司", "Construction Engineering Co., Ltd."),
    ("贸易有限公司", "Trading Co., Ltd."),
    ("实业有限公司", "Industrial Co., Ltd."),
    ("物业管理有限公司", "Property Management Co., Ltd."),
    ("电子有限公司", "Electronics Co., Ltd."),
    ("家具有限公司", "Furniture Co., Ltd."),
    ("陶瓷有限公司", "Ceramics Co., Ltd."),
];

const PUBLIC_BODIES: [Pair; 8] = [
    ("自然资源局", "Natural Resources Bureau"),
    ("城市管理和综合执法局", "Urban Management Bureau"),
    ("人民医院", "People's Hospital"),
    ("第一中学", "No. 1 Middle School"),
    ("供电局", "Power Supply Bureau"),
    ("水务局", "Water Affairs Bureau"),
    ("交通运输局", "Transport Bureau"),
    ("市场监督管理局", "Market Regulation Bureau"),
];

const PLATE_PREFIXES: [&str; 9] = [
    "粤E", "粤X", "粤Y", "粤A", "粤B", "粤S", "湘D", "桂K", "赣B",
];
const PLATE_WEIGHTS: [f64; 9] = [0.72, 0.07, 0.06, 0.07, 0.02, 0.02, 0.015, 0.015, 0.01];
/// Letters used on plates (no I, no O).
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
/// VIN model-year codes from 2010 (A) on; no I, O, Q, U, Z, 0.
const VIN_YEARS: &[u8] = b"ABCDEFGHJKLMNPRSTVWXY";

fn pick_lang(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

// ---------------------------------------------------------------------------------------------
// The generated world
// ---------------------------------------------------------------------------------------------

/// Days since 0001-01-01 (chrono's `num_days_from_ce`).
type Day = i32;

fn to_day(d: NaiveDate) -> Day {
    d.num_days_from_ce()
}

fn to_date(d: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(d).unwrap_or_default()
}

fn ymd(y: i32, m: u32, d: u32) -> Day {
    to_day(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

struct Customer {
    id: String,
    name_zh: String,
    name_en: String,
    phone: String,
    region: usize,
    birth: Option<Day>,
    occupation: Option<usize>,
    usage: Usage,
}

struct Vehicle {
    series: usize,
    model: usize,
    vin: String,
    plate: String,
    purchase: Day,
}

struct Visit {
    day: Day,
    cust: usize,
    veh: usize,
    kind: Kind,
    mileage: u32,
    /// Cents.
    labor: i64,
    /// Cents.
    parts: i64,
    advisor: usize,
    key: u64,
    order: String,
}

struct World {
    lo: Day,
    hi: Day,
    customers: Vec<Customer>,
    vehicles: Vec<Vehicle>,
    visits: Vec<Visit>,
}

/// Everything that drives one customer's history.
struct Profile {
    usage: Usage,
    trade: Trade,
    region: usize,
    loyalty: f64,
    spend: f64,
    proneness: f64,
    young: bool,
    /// A loyal regular (忠诚客户): services here whatever the vehicle's age.
    devoted: bool,
    advisor: usize,
    first_seen: Day,
    exit: Day,
}

/// Per-vehicle driving and servicing habits.
struct Habits {
    purchase: Day,
    first_visit: Day,
    daily_km: f64,
    interval_km: f64,
    series: usize,
}

fn generate(opts: &DemoOptions) -> World {
    let (a, b) = (to_day(opts.start), to_day(opts.end));
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut rng = Rng::new(opts.seed);
    let mut uniq = Uniques::default();

    let mut customers = Vec::with_capacity(opts.customers);
    let mut vehicles: Vec<Vehicle> = Vec::new();
    let mut visits: Vec<Visit> = Vec::new();
    let mut created: Vec<Day> = Vec::with_capacity(opts.customers);

    for ci in 0..opts.customers {
        let profile = make_profile(&mut rng, lo, hi);
        let fleet = fleet_size(&mut rng, &profile);
        let company = is_company(&mut rng, &profile, fleet);

        let mut first_purchase = Day::MAX;
        for vj in 0..fleet {
            let first_visit = if vj == 0 {
                profile.first_seen
            } else {
                rng.int_in(profile.first_seen, profile.exit.min(hi))
            };
            let habits = make_habits(&mut rng, &profile, vj, first_visit, lo, hi);
            first_purchase = first_purchase.min(habits.purchase);
            let model = rng.below(SERIES[habits.series].models.len());
            let vin = uniq.vin(&mut rng, habits.series, model, habits.purchase);
            let plate = uniq.plate(&mut rng);
            let vi = vehicles.len();
            vehicles.push(Vehicle {
                series: habits.series,
                model,
                vin,
                plate,
                purchase: habits.purchase,
            });
            simulate_vehicle(&mut rng, &profile, &habits, ci, vi, hi, &mut visits);
        }

        let (name_zh, name_en, birth, occupation) = if company {
            let (zh, en) = uniq.company(&mut rng, &profile);
            (zh, en, None, None)
        } else {
            let (zh, en) = person_name(&mut rng);
            let birth = birth_date(&mut rng, first_purchase, profile.young);
            let occ = occupation(&mut rng, &profile, birth);
            (zh, en, Some(birth), Some(occ))
        };
        let phone = uniq.phone(&mut rng);
        created.push(first_purchase.min(profile.first_seen));
        customers.push(Customer {
            id: String::new(),
            name_zh,
            name_en,
            phone,
            region: profile.region,
            birth,
            occupation,
            usage: profile.usage,
        });
    }

    // Customer IDs in order of creation in the DMS, with the gaps real systems have.
    let mut order: Vec<usize> = (0..customers.len()).collect();
    order.sort_by_key(|&i| (created[i], i));
    let mut next_id: u64 = rng.int_in(1, 180) as u64;
    for i in order {
        if let Some(c) = customers.get_mut(i) {
            c.id = format!("C{next_id:06}");
        }
        next_id += 1 + if rng.chance(0.25) {
            rng.below(3) as u64
        } else {
            0
        };
    }

    // Settlement order: by date, then by order number assigned in that order.
    visits.sort_by_key(|v| (v.day, v.key));
    let mut i = 0;
    while i < visits.len() {
        let day = visits[i].day;
        let date = to_date(day);
        let mut seq: u32 = rng.int_in(1, 3) as u32;
        while i < visits.len() && visits[i].day == day {
            visits[i].order = format!(
                "WX{:04}{:02}{:02}{:05}",
                date.year(),
                date.month(),
                date.day(),
                seq
            );
            seq += 1 + u32::from(rng.chance(0.12));
            i += 1;
        }
    }

    World {
        lo,
        hi,
        customers,
        vehicles,
        visits,
    }
}

fn make_profile(rng: &mut Rng, lo: Day, hi: Day) -> Profile {
    let usage = match rng.weighted(&[0.80, 0.08, 0.12]) {
        0 => Usage::Private,
        1 => Usage::Official,
        _ => Usage::Commercial,
    };
    let trade = match rng.weighted(&[0.40, 0.35, 0.25]) {
        0 => Trade::Taxi,
        1 => Trade::RideHailing,
        _ => Trade::Logistics,
    };
    let region = rng.weighted(&REGION_WEIGHTS);
    let loyalty = match usage {
        Usage::Private => rng.uniform(0.55, 1.0),
        Usage::Official => rng.uniform(0.75, 0.98),
        Usage::Commercial => rng.uniform(0.5, 0.95),
    };
    let mut spend = rng.lognormal(1.0, 0.4);
    if usage == Usage::Official {
        spend *= 1.15;
    }
    let proneness = rng.lognormal(1.0, 0.5);
    let young = rng.chance(0.45);
    let advisor = rng.below(ADVISORS.len());

    let status = match rng.weighted(&[0.10, 0.22, 0.68]) {
        0 => Status::New,
        1 => Status::Churned,
        _ => Status::Regular,
    };
    let devoted = status == Status::Regular
        && rng.chance(match usage {
            Usage::Private => 0.2,
            Usage::Official => 0.4,
            Usage::Commercial => 0.25,
        });
    let loyalty = if devoted {
        rng.uniform(0.92, 1.0)
    } else {
        loyalty
    };
    // An existing customer's first visit in the export falls when the next service is due:
    // uniform over one typical gap between visits at this dealer.
    let gap = match usage {
        Usage::Private => 170.0,
        Usage::Official => 110.0,
        Usage::Commercial => 45.0,
    } / loyalty.max(0.3);
    let existing_first = lo + rng.uniform(0.0, gap.min(365.0)) as Day;
    let (first_seen, exit) = match status {
        Status::New => {
            let from = lo.max(hi - 175);
            (rng.int_in(from, (hi - 3).max(from)), hi)
        }
        Status::Churned => {
            let last_exit = (hi - 370).max(lo);
            let exit = rng.int_in((lo + 30).min(last_exit), last_exit);
            let f = if rng.chance(0.7) {
                existing_first
            } else {
                rng.int_in(lo, exit)
            };
            (f.min(exit), exit)
        }
        Status::Regular => {
            let last_first = (hi - 181).max(lo);
            let f = if rng.chance(0.75) {
                existing_first
            } else {
                rng.int_in(lo, last_first)
            };
            (f.min(last_first), hi)
        }
    };
    Profile {
        usage,
        trade,
        region,
        loyalty,
        devoted,
        spend,
        proneness,
        young,
        advisor,
        first_seen,
        exit: exit.max(first_seen),
    }
}

fn fleet_size(rng: &mut Rng, p: &Profile) -> usize {
    match p.usage {
        Usage::Private => {
            if rng.chance(0.025) {
                2
            } else {
                1
            }
        }
        Usage::Official => 1 + rng.weighted(&[0.85, 0.11, 0.04]),
        Usage::Commercial => {
            let company_share = match p.trade {
                Trade::Taxi => 0.2,
                Trade::RideHailing => 0.05,
                Trade::Logistics => 0.4,
            };
            if rng.chance(company_share) {
                2 + rng.below(4)
            } else {
                1
            }
        }
    }
}

fn is_company(rng: &mut Rng, p: &Profile, fleet: usize) -> bool {
    match p.usage {
        Usage::Private => false,
        Usage::Official => true,
        Usage::Commercial => fleet > 1 || rng.chance(0.1),
    }
}

fn make_habits(
    rng: &mut Rng,
    p: &Profile,
    vj: usize,
    first_visit: Day,
    lo: Day,
    hi: Day,
) -> Habits {
    let series = match p.usage {
        Usage::Private => rng.weighted(&[0.40, 0.25, 0.28, 0.07]),
        Usage::Official => rng.weighted(&[0.0, 0.45, 0.30, 0.25]),
        Usage::Commercial => match p.trade {
            Trade::Taxi => rng.weighted(&[0.85, 0.15, 0.0, 0.0]),
            Trade::RideHailing => rng.weighted(&[0.45, 0.45, 0.0, 0.10]),
            Trade::Logistics => 3,
        },
    };
    let (daily_km, interval_km) = match p.usage {
        Usage::Private => (rng.lognormal(35.0, 0.25).clamp(20.0, 60.0), 5000.0),
        Usage::Official => (rng.uniform(40.0, 80.0), 5000.0),
        Usage::Commercial => {
            let km = match p.trade {
                Trade::Logistics => rng.lognormal(170.0, 0.25),
                _ => rng.lognormal(205.0, 0.2),
            };
            let interval = [5000.0, 7500.0, 7500.0][rng.below(3)];
            (km.clamp(120.0, 300.0), interval)
        }
    };
    // Vehicles bought 2015–2025 (eight years before the export starts); taxis and
    // ride-hailing cars retire after about seven years.
    let mut oldest = lo - 2922;
    if p.usage == Usage::Commercial {
        oldest = oldest.max(hi - 7 * 365);
    }
    let bought_here_recently = if vj == 0 {
        if first_visit >= hi - 180 {
            rng.chance(0.8)
        } else if first_visit <= lo + 120 {
            rng.chance(0.05)
        } else {
            rng.chance(0.55)
        }
    } else {
        rng.chance(0.5)
    };
    let purchase = if bought_here_recently {
        first_visit - rng.int_in(30, 175)
    } else {
        let latest = (first_visit - 200).max(oldest);
        let u = rng.f64().powf(1.8);
        latest - ((latest - oldest) as f64 * u) as Day
    };
    Habits {
        purchase: purchase.max(oldest).min(first_visit),
        first_visit,
        daily_km,
        interval_km,
        series,
    }
}

/// Share of due services the customer has done at this dealer, given the vehicle's age (the
/// seeds: maintenance loyalty falls after the warranty, most out-of-warranty cars go to
/// independent garages).
fn loyalty_at(p: &Profile, h: &Habits, day: f64) -> f64 {
    let age = (day - f64::from(h.purchase)) / 365.25;
    let age_factor = if age < 3.0 {
        1.0
    } else if age < 6.0 {
        0.8
    } else {
        0.6
    };
    let region = REGION_LOYALTY.get(p.region).copied().unwrap_or(1.0);
    if p.devoted {
        return p.loyalty;
    }
    (p.loyalty * age_factor * region).clamp(0.0, 1.0)
}

/// Yearly rates of repair, accident, body & paint and modification visits.
fn yearly_rate(kind: Kind, p: &Profile, h: &Habits, day: f64) -> f64 {
    let age = ((day - f64::from(h.purchase)) / 365.25).max(0.0);
    let loy = loyalty_at(p, h, day);
    match kind {
        Kind::Repair => {
            let base = match p.usage {
                Usage::Commercial => h.daily_km * 365.0 / 10_000.0 * 0.22,
                _ => 0.3 + 0.09 * age,
            };
            base * p.proneness * (0.35 + 0.65 * loy)
        }
        Kind::Accident => {
            let base = match p.usage {
                Usage::Private => 0.045,
                Usage::Official => 0.035,
                Usage::Commercial => 0.10,
            };
            base * (0.5 + 0.5 * loy)
        }
        Kind::Body => {
            let base = match p.usage {
                Usage::Private => 0.2,
                Usage::Official => 0.12,
                Usage::Commercial => 0.22,
            };
            base * (0.5 + 0.5 * loy)
        }
        Kind::Modif => {
            let base = match p.usage {
                Usage::Private if p.young => 0.03,
                Usage::Private => 0.01,
                Usage::Official => 0.0,
                Usage::Commercial => 0.004,
            };
            if age < 4.0 {
                base
            } else {
                base * 0.3
            }
        }
        Kind::First | Kind::Maint => 0.0,
    }
}

fn simulate_vehicle(
    rng: &mut Rng,
    p: &Profile,
    h: &Habits,
    ci: usize,
    vi: usize,
    hi: Day,
    out: &mut Vec<Visit>,
) {
    let f = h.first_visit;
    let stop = p.exit.min(hi);
    let since_purchase = f - h.purchase;
    let first_kind = if (30..=185).contains(&since_purchase) {
        Kind::First
    } else {
        match rng.weighted(&[0.8, 0.15, 0.04, 0.01]) {
            0 => Kind::Maint,
            1 => Kind::Repair,
            2 => Kind::Body,
            _ => Kind::Accident,
        }
    };
    let mut events: Vec<(Day, Kind)> = vec![(f, first_kind)];

    // Routine maintenance every interval_km or ~6 months, whichever comes first; done here
    // with the customer's (age-dependent) loyalty, elsewhere otherwise.
    let interval_days = (h.interval_km / h.daily_km).clamp(7.0, 182.0);
    let mut last = if matches!(first_kind, Kind::First | Kind::Maint) {
        f64::from(f)
    } else {
        f64::from(f) - rng.uniform(0.0, interval_days)
    };
    for _ in 0..2000 {
        let due = last + interval_days * rng.uniform(0.9, 1.15);
        let day = (due + rng.uniform(-5.0, 20.0)).round();
        if day > f64::from(stop) {
            break;
        }
        if day > f64::from(f) && rng.chance(loyalty_at(p, h, day)) {
            events.push((day as Day, Kind::Maint));
        }
        last = day.max(last + 1.0);
    }

    // Unplanned visits: Poisson processes with age-dependent rates.
    for kind in [Kind::Repair, Kind::Accident, Kind::Body, Kind::Modif] {
        let mut t = f64::from(f);
        for _ in 0..2000 {
            let rate = yearly_rate(kind, p, h, t) / 365.25;
            t += rng.exp(rate);
            if !t.is_finite() || t > f64::from(stop) {
                break;
            }
            let day = t.floor() as Day;
            if day > f {
                events.push((day, kind));
            }
        }
    }

    // One visit per vehicle and day (the first-listed kind wins).
    events.sort();
    events.dedup_by_key(|e| e.0);

    let start_len = out.len();
    let mut odometer: f64 = 0.0;
    let mut prev_day = h.purchase;
    let mut last_big: f64 = 0.0;
    for (n, &(day, kind)) in events.iter().enumerate() {
        let gap = f64::from((day - prev_day).max(0));
        let factor = if n == 0 {
            rng.uniform(0.85, 1.15)
        } else {
            rng.uniform(0.7, 1.3)
        };
        if n == 0 {
            odometer = rng.uniform(5.0, 60.0);
        }
        odometer += h.daily_km * gap * factor;
        prev_day = day;
        let mileage = odometer.round().clamp(0.0, 3_000_000.0) as u32;
        let big =
            kind == Kind::Maint && (odometer / 20_000.0).floor() > (last_big / 20_000.0).floor();
        if big {
            last_big = odometer;
        }
        let age = f64::from(day - h.purchase) / 365.25;
        let (labor, parts) = price(rng, kind, p, h.series, age, big);
        let advisor = if rng.chance(0.75) {
            p.advisor
        } else {
            rng.below(ADVISORS.len())
        };
        out.push(Visit {
            day,
            cust: ci,
            veh: vi,
            kind,
            mileage,
            labor,
            parts,
            advisor,
            key: rng.next_u64(),
            order: String::new(),
        });
    }

    // Credit notes (冲红 / 退款): a few paid orders are reversed in full or partly refunded a
    // few days later, before the vehicle's next visit, with the original order's mileage.
    let end = out.len();
    for i in start_len..end {
        let (day, kind, mileage, labor, parts, advisor) = {
            let v = &out[i];
            (v.day, v.kind, v.mileage, v.labor, v.parts, v.advisor)
        };
        if kind == Kind::First || labor + parts <= 0 || !rng.chance(0.0035) {
            continue;
        }
        let next = if i + 1 < end { out[i + 1].day } else { hi + 1 };
        let upper = (next - 1).min(day + 15).min(hi);
        if upper <= day {
            continue;
        }
        let (rl, rp) = if rng.chance(0.6) {
            (-labor, -parts)
        } else {
            let share = rng.uniform(0.1, 0.6);
            let whole_yuan = ((parts as f64 * share / 100.0).round() as i64).max(1);
            (0, -whole_yuan * 100)
        };
        out.push(Visit {
            day: rng.int_in(day + 1, upper),
            cust: ci,
            veh: vi,
            kind,
            mileage,
            labor: rl,
            parts: rp,
            advisor,
            key: rng.next_u64(),
            order: String::new(),
        });
    }
}

/// Labor and parts in cents for one visit.
fn price(rng: &mut Rng, kind: Kind, p: &Profile, series: usize, age: f64, big: bool) -> (i64, i64) {
    let factor = SERIES.get(series).map_or(1.0, |s| s.factor);
    let (total, share) = match kind {
        Kind::First => {
            if rng.chance(0.25) {
                return (0, 0); // free first service, claimed from the manufacturer
            }
            let labor = if rng.chance(0.7) {
                0.0
            } else {
                rng.uniform(60.0, 150.0)
            };
            let parts = rng.uniform(150.0, 380.0) * factor;
            return (yuan(labor), tenth(parts));
        }
        Kind::Maint => {
            let base = 420.0 * factor * p.spend.sqrt() * rng.lognormal(1.0, 0.22);
            let base = if big { base * 2.1 } else { base };
            (base, rng.uniform(0.18, 0.3))
        }
        Kind::Repair => {
            let x = 950.0 * factor * p.spend * (1.0 + 0.08 * age) * rng.lognormal(1.0, 1.0);
            (x.clamp(80.0, 80_000.0), rng.uniform(0.25, 0.5))
        }
        Kind::Accident => {
            let x = 7500.0 * factor * p.spend.sqrt() * rng.lognormal(1.0, 1.05);
            (x.clamp(800.0, 300_000.0), rng.uniform(0.28, 0.42))
        }
        Kind::Body => {
            let x = 1600.0 * factor * rng.lognormal(1.0, 0.6);
            (x.clamp(300.0, 20_000.0), rng.uniform(0.45, 0.65))
        }
        Kind::Modif => {
            let x = 2800.0 * p.spend * rng.lognormal(1.0, 0.8);
            (x.clamp(200.0, 50_000.0), rng.uniform(0.12, 0.3))
        }
    };
    let labor = yuan(total * share);
    let parts = if rng.chance(0.6) {
        yuan(total * (1.0 - share))
    } else {
        tenth(total * (1.0 - share))
    };
    (labor, parts)
}

/// Yuan to cents, rounded to whole yuan.
fn yuan(x: f64) -> i64 {
    (x.max(0.0).round() as i64) * 100
}

/// Yuan to cents, rounded to 0.1 yuan.
fn tenth(x: f64) -> i64 {
    ((x.max(0.0) * 10.0).round() as i64) * 10
}

fn person_name(rng: &mut Rng) -> (String, String) {
    let (sz, se) = SURNAMES[rng.skewed(SURNAMES.len())];
    let (g1z, g1e) = GIVEN[rng.below(GIVEN.len())];
    let mut zh = format!("{sz}{g1z}");
    let mut given = g1e.to_string();
    if rng.chance(0.72) {
        let (g2z, g2e) = GIVEN[rng.below(GIVEN.len())];
        zh.push_str(g2z);
        given.push_str(g2e);
    }
    let mut chars = given.chars();
    let given = match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    };
    (zh, format!("{se} {given}"))
}

fn birth_date(rng: &mut Rng, first_purchase: Day, young: bool) -> Day {
    let earliest = ymd(1955, 1, 1);
    let latest = ymd(2003, 12, 31)
        .min(first_purchase - 20 * 365)
        .max(earliest);
    let u = rng.f64();
    // Young owners skew toward later birth years.
    let u = if young { u.powf(0.6) } else { u.powf(1.3) };
    earliest + ((latest - earliest) as f64 * u) as Day
}

fn occupation(rng: &mut Rng, p: &Profile, birth: Day) -> usize {
    if p.usage == Usage::Commercial {
        return if rng.chance(0.85) {
            OCC_DRIVER
        } else {
            OCC_SELF_EMPLOYED
        };
    }
    let occ = rng.weighted(&PRIVATE_OCC_WEIGHTS);
    if occ == OCC_RETIRED && birth > ymd(1964, 12, 31) {
        OCC_OFFICE
    } else {
        occ
    }
}

/// Generators of values that must be unique across the data set.
#[derive(Default)]
struct Uniques {
    phones: BTreeSet<String>,
    plates: BTreeSet<String>,
    vins: BTreeSet<String>,
    companies: BTreeSet<String>,
}

impl Uniques {
    fn phone(&mut self, rng: &mut Rng) -> String {
        const PREFIXES: [&str; 30] = [
            "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
            "152", "153", "155", "156", "157", "158", "159", "176", "177", "178", "180", "186",
            "187", "188", "189", "191", "198", "199",
        ];
        let mut s = String::new();
        for _ in 0..100 {
            s = format!(
                "{}{:08}",
                PREFIXES[rng.below(PREFIXES.len())],
                rng.next_u64() % 100_000_000
            );
            if self.phones.insert(s.clone()) {
                break;
            }
        }
        s
    }

    fn plate(&mut self, rng: &mut Rng) -> String {
        let mut s = String::new();
        for _ in 0..100 {
            s = PLATE_PREFIXES[rng.weighted(&PLATE_WEIGHTS)].to_string();
            let mut letters = 0;
            for _ in 0..5 {
                if letters < 2 && rng.chance(0.22) {
                    letters += 1;
                    s.push(char::from(PLATE_LETTERS[rng.below(PLATE_LETTERS.len())]));
                } else {
                    s.push(char::from(b'0' + rng.below(10) as u8));
                }
            }
            if self.plates.insert(s.clone()) {
                break;
            }
        }
        s
    }

    fn vin(&mut self, rng: &mut Rng, series: usize, model: usize, purchase: Day) -> String {
        let vds = SERIES
            .get(series)
            .and_then(|s| s.models.get(model))
            .map_or("A3B15", |m| m.vds);
        let year = to_date(purchase).year();
        let yi = (year - 2010).rem_euclid(VIN_YEARS.len() as i32) as usize;
        let year_code = char::from(VIN_YEARS[yi]);
        let mut vin = String::new();
        for _ in 0..100 {
            let serial = 100_000 + rng.next_u64() % 900_000;
            let body = format!("LKR{vds}0{year_code}F{serial:06}");
            vin = with_check_digit(&body);
            if self.vins.insert(vin.clone()) {
                break;
            }
        }
        vin
    }

    fn company(&mut self, rng: &mut Rng, p: &Profile) -> (String, String) {
        let mut name = (String::new(), String::new());
        for attempt in 0..30 {
            name = company_name(rng, p, attempt >= 10);
            if self.companies.insert(name.0.clone()) {
                break;
            }
        }
        name
    }
}

fn company_name(rng: &mut Rng, p: &Profile, force_company: bool) -> (String, String) {
    let (dz, de) = DISTRICTS[rng.below(DISTRICTS.len())];
    if p.usage == Usage::Official && !force_company && rng.chance(0.25) {
        let (bz, be) = PUBLIC_BODIES[rng.below(PUBLIC_BODIES.len())];
        return (
            format!("佛山市{dz}{bz}"),
            format!("{be}, {de} District, Foshan"),
        );
    }
    let (wz, we) = TRADE_NAMES[rng.below(TRADE_NAMES.len())];
    let (sz, se) = match p.usage {
        Usage::Commercial => match p.trade {
            Trade::Taxi => ("出租汽车有限公司", "Taxi Co., Ltd."),
            Trade::RideHailing => {
                if rng.chance(0.5) {
                    ("汽车租赁有限公司", "Car Rental Co., Ltd.")
                } else {
                    ("客运有限公司", "Passenger Transport Co., Ltd.")
                }
            }
            Trade::Logistics => {
                if rng.chance(0.6) {
                    ("物流有限公司", "Logistics Co., Ltd.")
                } else {
                    ("货运有限公司", "Freight Co., Ltd.")
                }
            }
        },
        _ => COMPANY_SUFFIXES[rng.below(COMPANY_SUFFIXES.len())],
    };
    if rng.chance(0.5) {
        (
            format!("佛山市{dz}{wz}{sz}"),
            format!("Foshan {de} {we} {se}"),
        )
    } else {
        (format!("佛山市{wz}{sz}"), format!("Foshan {we} {se}"))
    }
}

/// Sets position 9 of a 17-character VIN to its ISO 3779 check digit.
fn with_check_digit(vin: &str) -> String {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |c: char| -> u32 {
        match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A' | 'J' => 1,
            'B' | 'K' | 'S' => 2,
            'C' | 'L' | 'T' => 3,
            'D' | 'M' | 'U' => 4,
            'E' | 'N' | 'V' => 5,
            'F' | 'W' => 6,
            'G' | 'P' | 'X' => 7,
            'H' | 'Y' => 8,
            'R' | 'Z' => 9,
            _ => 0,
        }
    };
    let sum: u32 = vin
        .chars()
        .zip(WEIGHTS.iter())
        .map(|(c, w)| value(c) * w)
        .sum();
    let check = match sum % 11 {
        10 => 'X',
        d => char::from(b'0' + d as u8),
    };
    vin.chars()
        .enumerate()
        .map(|(i, c)| if i == 8 { check } else { c })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn date_cell(d: Day) -> Cell {
    Cell::DateTime(NaiveDateTime::new(to_date(d), NaiveTime::MIN))
}

fn money(cents: i64) -> Cell {
    Cell::Number(cents as f64 / 100.0)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn render(world: &World, lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::with_capacity(world.visits.len());
    for v in &world.visits {
        let (Some(c), Some(veh)) = (world.customers.get(v.cust), world.vehicles.get(v.veh)) else {
            continue;
        };
        let series = &SERIES[veh.series.min(SERIES.len() - 1)];
        let model = series.models.get(veh.model);
        let advisor = ADVISORS[v.advisor % ADVISORS.len()];
        let region = REGIONS[c.region % REGIONS.len()];
        rows.push(vec![
            text(&v.order),
            date_cell(v.day),
            text(&c.id),
            text(pick_name(c, lang)),
            text(&c.phone),
            text(&veh.plate),
            text(&veh.vin),
            text(pick_lang(lang, series.zh, series.en)),
            text(model.map_or("", |m| pick_lang(lang, m.zh, m.en))),
            date_cell(veh.purchase),
            Cell::Number(f64::from(v.mileage)),
            text(v.kind.label(lang)),
            money(v.labor),
            money(v.parts),
            money(v.labor + v.parts),
            text(pick_lang(lang, region.0, region.1)),
            text(c.usage.label(lang)),
            c.birth.map_or(Cell::Empty, date_cell),
            c.occupation.map_or(Cell::Empty, |o| {
                let occ = OCCUPATIONS[o % OCCUPATIONS.len()];
                text(pick_lang(lang, occ.0, occ.1))
            }),
            text(pick_lang(lang, advisor.0, advisor.1)),
        ]);
    }
    rows
}

fn pick_name(c: &Customer, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &c.name_zh,
        Lang::En => &c.name_en,
    }
}

/// The headers and the data rows of the demo export (no title, no totals), sorted by
/// settlement date then order number.
pub fn demo_rows(opts: &DemoOptions) -> (Vec<String>, Vec<Vec<Cell>>) {
    let world = generate(opts);
    (demo_headers(opts.lang), render(&world, opts.lang))
}

fn sheet_name(lang: Lang) -> &'static str {
    pick_lang(lang, "维修记录", "Service records")
}

fn title(lo: Day, hi: Day, lang: Lang) -> String {
    let (a, b) = (to_date(lo), to_date(hi));
    match lang {
        Lang::Zh => format!(
            "凯锐汽车佛山南海4S店 维修结算明细（{} 至 {}）",
            a.format("%Y-%m-%d"),
            b.format("%Y-%m-%d")
        ),
        Lang::En => format!(
            "Kairui Motors Foshan Nanhai 4S Store - Service settlement details ({} to {})",
            a.format("%Y-%m-%d"),
            b.format("%Y-%m-%d")
        ),
    }
}

/// The demo export as a spreadsheet reader would see it: a title row, a blank row, the header
/// row, the data rows and a final 合计 / Total row summing labor, parts and amount.
pub fn demo_table(opts: &DemoOptions) -> RawTable {
    let world = generate(opts);
    let lang = opts.lang;
    let data = render(&world, lang);
    let (mut labor, mut parts) = (0i64, 0i64);
    for v in &world.visits {
        labor += v.labor;
        parts += v.parts;
    }
    let mut total = vec![Cell::Empty; COLUMNS];
    total[0] = text(pick_lang(lang, "合计", "Total"));
    total[COL_LABOR] = money(labor);
    total[COL_PARTS] = money(parts);
    total[COL_AMOUNT] = money(labor + parts);

    let headers = demo_headers(lang).into_iter().map(Cell::Text).collect();
    let mut rows = Vec::with_capacity(data.len() + 4);
    rows.push(vec![Cell::Text(title(world.lo, world.hi, lang))]);
    rows.push(Vec::new());
    rows.push(headers);
    rows.extend(data);
    rows.push(total);

    let sheet = sheet_name(lang).to_string();
    RawTable {
        format: Format::Xlsx,
        sheet: Some(sheet.clone()),
        sheets: vec![sheet],
        encoding: None,
        date_1904: false,
        cells: Columns::from_rows(rows),
    }
}

/// Quotes a CSV field when needed (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_value(col: usize, cell: &Cell) -> String {
    match cell {
        Cell::Number(n) if matches!(col, COL_LABOR | COL_PARTS | COL_AMOUNT) => format!("{n:.2}"),
        Cell::Number(n) => format_number(*n),
        other => other.to_text(),
    }
}

/// The demo export as CSV: the header row and the data rows (no title, no totals), CRLF line
/// ends, fields quoted per RFC 4180, dates as `YYYY-MM-DD`, amounts with two decimals.
pub fn demo_csv(opts: &DemoOptions) -> String {
    let (headers, rows) = demo_rows(opts);
    let mut out = String::with_capacity(rows.len() * 200);
    let line: Vec<String> = headers.iter().map(|h| csv_field(h)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| csv_field(&csv_value(i, c)))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Days from Excel's epoch (1899-12-30 in the 1900 system) to the date.
fn excel_serial(d: &NaiveDateTime) -> f64 {
    let days = to_day(d.date()) - ymd(1899, 12, 30);
    let secs = f64::from(d.time().num_seconds_from_midnight());
    f64::from(days) + secs / 86_400.0
}

/// The demo export as an xlsx file: title, header (bold, frozen, with a filter), real date
/// cells, amounts as numbers formatted `#,##0.00`, identifiers as text, a total row.
///
/// The document's creation time is set to the export's end date (18:00), so the bytes are the
/// same on every run. Note: rust_xlsxwriter 0.102 still reads the clock once inside
/// `Workbook::new()` / `DocProperties::new()` (the value is then overwritten); on
/// wasm32-unknown-unknown that read needs the crate's `wasm` feature (js `Date.now()`),
/// otherwise std's `SystemTime::now()` panics there.
pub fn demo_xlsx(opts: &DemoOptions) -> Result<Vec<u8>, String> {
    let table = demo_table(opts);
    let err = |e: rust_xlsxwriter::XlsxError| format!("xlsx: {e}");

    let title_fmt = XlsxFormat::new().set_bold().set_font_size(14);
    let header_fmt = XlsxFormat::new()
        .set_bold()
        .set_background_color(0xDDEBF7)
        .set_border(FormatBorder::Thin);
    let date_fmt = XlsxFormat::new().set_num_format("yyyy-mm-dd");
    let money_fmt = XlsxFormat::new().set_num_format("#,##0.00");
    let km_fmt = XlsxFormat::new().set_num_format("#,##0");
    let total_label_fmt = XlsxFormat::new().set_bold();
    let total_money_fmt = XlsxFormat::new().set_bold().set_num_format("#,##0.00");

    let end = to_date(to_day(opts.start).max(to_day(opts.end)));
    let created = match (
        u16::try_from(end.year()),
        u8::try_from(end.month()),
        u8::try_from(end.day()),
    ) {
        (Ok(y), Ok(m), Ok(d)) if (1900..=9999).contains(&y) => ExcelDateTime::from_ymd(y, m, d),
        _ => ExcelDateTime::from_ymd(2025, 6, 30),
    }
    .and_then(|d| d.and_hms(18, 0, 0))
    .map_err(err)?;
    let properties = DocProperties::new()
        .set_title(title(
            to_day(opts.start).min(to_day(opts.end)),
            to_day(end),
            opts.lang,
        ))
        .set_author("DealerLens demo")
        .set_creation_datetime(&created);

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties);
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(table.sheet.as_deref().unwrap_or("Sheet1"))
        .map_err(err)?;
    for (col, width) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width).map_err(err)?;
    }

    let header_row: u32 = 2;
    let last_row = table.len().saturating_sub(1) as u32;
    for (r, row) in table.rows().enumerate() {
        let r = r as u32;
        let is_total = r == last_row && r > header_row + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell {
                CellRef::Empty => {}
                CellRef::Text(s) if r == 0 => {
                    sheet
                        .merge_range(0, 0, 0, (COLUMNS - 1) as u16, s, &title_fmt)
                        .map_err(err)?;
                }
                CellRef::Text(s) if r == header_row => {
                    sheet
                        .write_string_with_format(r, col, s, &header_fmt)
                        .map_err(err)?;
                }
                CellRef::Text(s) if is_total => {
                    sheet
                        .write_string_with_format(r, col, s, &total_label_fmt)
                        .map_err(err)?;
                }
                CellRef::Text(s) => {
                    sheet.write_string(r, col, s).map_err(err)?;
                }
                CellRef::Number(n) => {
                    let fmt = if is_total {
                        &total_money_fmt
                    } else if c == COL_MILEAGE {
                        &km_fmt
                    } else {
                        &money_fmt
                    };
                    sheet
                        .write_number_with_format(r, col, n, fmt)
                        .map_err(err)?;
                }
                CellRef::DateTime(d) => {
                    sheet
                        .write_number_with_format(r, col, excel_serial(&d), &date_fmt)
                        .map_err(err)?;
                }
                CellRef::Bool(b) => {
                    sheet.write_boolean(r, col, b).map_err(err)?;
                }
                CellRef::Error(e) => {
                    sheet.write_string(r, col, e).map_err(err)?;
                }
            }
        }
    }
    sheet.set_row_height(0, 24).map_err(err)?;
    sheet.set_freeze_panes(header_row + 1, 0).map_err(err)?;
    let last_data = if last_row > header_row + 1 {
        last_row - 1
    } else {
        header_row
    };
    sheet
        .autofilter(header_row, 0, last_data, (COLUMNS - 1) as u16)
        .map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}
