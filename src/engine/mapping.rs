//! Column roles: what each column means, detected from header text (Chinese and English
//! synonyms) and from the values, with a confidence per role and manual overrides.

use crate::engine::error::EngineError;
use crate::engine::table::{CellRef, RawTable};
use crate::engine::values;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CustomerId,
    CustomerName,
    Phone,
    Plate,
    Vin,
    OrderId,
    Date,
    Amount,
    Quantity,
    UnitPrice,
    LaborAmount,
    PartsAmount,
    Mileage,
    ServiceType,
    VehicleModel,
    VehicleSeries,
    PurchaseDate,
    Region,
    BirthDate,
    Occupation,
    VehicleUse,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 21] = [
        Role::CustomerId,
        Role::CustomerName,
        Role::Phone,
        Role::Plate,
        Role::Vin,
        Role::OrderId,
        Role::Date,
        Role::Amount,
        Role::Quantity,
        Role::UnitPrice,
        Role::LaborAmount,
        Role::PartsAmount,
        Role::Mileage,
        Role::ServiceType,
        Role::VehicleModel,
        Role::VehicleSeries,
        Role::PurchaseDate,
        Role::Region,
        Role::BirthDate,
        Role::Occupation,
        Role::VehicleUse,
    ];

    /// Roles that can serve as the customer key, in order of preference.
    pub const KEY_ORDER: [Role; 5] = [
        Role::CustomerId,
        Role::Phone,
        Role::Plate,
        Role::Vin,
        Role::CustomerName,
    ];

    /// The snake_case name used in the Report and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Role::CustomerId => "customer_id",
            Role::CustomerName => "customer_name",
            Role::Phone => "phone",
            Role::Plate => "plate",
            Role::Vin => "vin",
            Role::OrderId => "order_id",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::Quantity => "quantity",
            Role::UnitPrice => "unit_price",
            Role::LaborAmount => "labor_amount",
            Role::PartsAmount => "parts_amount",
            Role::Mileage => "mileage",
            Role::ServiceType => "service_type",
            Role::VehicleModel => "vehicle_model",
            Role::VehicleSeries => "vehicle_series",
            Role::PurchaseDate => "purchase_date",
            Role::Region => "region",
            Role::BirthDate => "birth_date",
            Role::Occupation => "occupation",
            Role::VehicleUse => "vehicle_use",
        }
    }

    /// Parses a role name (`customer_id`, ...).
    pub fn parse(name: &str) -> Result<Role, EngineError> {
        let n = name.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.name() == n)
            .ok_or_else(|| EngineError::UnknownRole {
                role: name.to_string(),
            })
    }

    /// A label for the mapping screen.
    pub fn label(self, lang: crate::engine::Lang) -> &'static str {
        use crate::engine::Lang::*;
        match (self, lang) {
            (Role::CustomerId, Zh) => "客户编号",
            (Role::CustomerName, Zh) => "客户名称",
            (Role::Phone, Zh) => "联系电话",
            (Role::Plate, Zh) => "车牌号",
            (Role::Vin, Zh) => "车架号(VIN)",
            (Role::OrderId, Zh) => "工单号",
            (Role::Date, Zh) => "日期",
            (Role::Amount, Zh) => "金额",
            (Role::Quantity, Zh) => "数量",
            (Role::UnitPrice, Zh) => "单价",
            (Role::LaborAmount, Zh) => "工时费",
            (Role::PartsAmount, Zh) => "材料费",
            (Role::Mileage, Zh) => "里程",
            (Role::ServiceType, Zh) => "维修类别",
            (Role::VehicleModel, Zh) => "车型",
            (Role::VehicleSeries, Zh) => "车系",
            (Role::PurchaseDate, Zh) => "购车日期",
            (Role::Region, Zh) => "区域",
            (Role::BirthDate, Zh) => "出生日期",
            (Role::Occupation, Zh) => "职业",
            (Role::VehicleUse, Zh) => "车辆用途",
            (Role::CustomerId, En) => "Customer ID",
            (Role::CustomerName, En) => "Customer name",
            (Role::Phone, En) => "Phone",
            (Role::Plate, En) => "Plate",
            (Role::Vin, En) => "VIN",
            (Role::OrderId, En) => "Order no.",
            (Role::Date, En) => "Date",
            (Role::Amount, En) => "Amount",
            (Role::Quantity, En) => "Quantity",
            (Role::UnitPrice, En) => "Unit price",
            (Role::LaborAmount, En) => "Labor",
            (Role::PartsAmount, En) => "Parts",
            (Role::Mileage, En) => "Mileage",
            (Role::ServiceType, En) => "Service type",
            (Role::VehicleModel, En) => "Model",
            (Role::VehicleSeries, En) => "Series",
            (Role::PurchaseDate, En) => "Purchase date",
            (Role::Region, En) => "Region",
            (Role::BirthDate, En) => "Birth date",
            (Role::Occupation, En) => "Occupation",
            (Role::VehicleUse, En) => "Vehicle use",
        }
    }

    /// Header synonyms, already normalised (see [`normalise_header`]). The first ones are
    /// the most specific.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::CustomerId => &[
                "客户编号",
                "客户代码",
                "客户id",
                "客户号",
                "会员号",
                "会员卡号",
                "会员编号",
                "客户编码",
                "customerid",
                "customerno",
                "customernumber",
                "custid",
                "custno",
                "clientid",
                "memberid",
            ],
            Role::CustomerName => &[
                "客户名称",
                "客户姓名",
                "车主姓名",
                "车主名称",
                "客户",
                "车主",
                "姓名",
                "送修人",
                "customername",
                "customer",
                "ownername",
                "owner",
                "name",
                "client",
            ],
            Role::Phone => &[
                "联系电话",
                "手机号码",
                "手机号",
                "手机",
                "电话号码",
                "电话",
                "联系方式",
                "车主电话",
                "客户电话",
                "phone",
                "mobile",
                "tel",
                "telephone",
                "cellphone",
                "contactnumber",
            ],
            Role::Plate => &[
                "车牌号码",
                "车牌号",
                "车牌",
                "牌照号",
                "牌照号码",
                "plate",
                "plateno",
                "platenumber",
                "licenseplate",
                "licenceplate",
                "registration",
                "regno",
            ],
            Role::Vin => &[
                "车架号",
                "vin",
                "vin码",
                "底盘号",
                "车辆识别代号",
                "车辆识别码",
                "vinno",
                "chassisno",
                "chassisnumber",
            ],
            Role::OrderId => &[
                "工单号",
                "维修单号",
                "结算单号",
                "委托书号",
                "工单编号",
                "单据号",
                "单号",
                "维修工单号",
                "orderno",
                "orderid",
                "ordernumber",
                "order",
                "ro",
                "rono",
                "repairorder",
                "workorder",
                "invoiceno",
                "invoice",
            ],
            Role::Date => &[
                "结算日期",
                "进厂日期",
                "维修时间",
                "维修日期",
                "开单日期",
                "结算时间",
                "进厂时间",
                "服务日期",
                "消费日期",
                "日期",
                "时间",
                "date",
                "servicedate",
                "settlementdate",
                "orderdate",
                "visitdate",
                "invoicedate",
                "repairdate",
                "transactiondate",
            ],
            Role::Amount => &[
                "实收金额",
                "合计金额",
                "应结金额",
                "结算金额",
                "应收金额",
                "总金额",
                "维修金额",
                "消费金额",
                "金额",
                "总计",
                "amount",
                "totalamount",
                "total",
                "revenue",
                "sales",
                "netamount",
                "paid",
                "amountpaid",
            ],
            Role::Quantity => &["数量", "qty", "quantity"],
            Role::UnitPrice => &["单价", "unitprice", "price"],
            Role::LaborAmount => &[
                "工时费",
                "工时费用",
                "工时金额",
                "工时",
                "人工费",
                "labor",
                "labour",
                "laboramount",
                "labourcost",
                "laborcost",
            ],
            Role::PartsAmount => &[
                "材料费",
                "配件费",
                "材料金额",
                "配件金额",
                "材料",
                "配件",
                "parts",
                "partsamount",
                "material",
                "materials",
                "partscost",
            ],
            Role::Mileage => &[
                "进厂里程",
                "维修里程",
                "行驶里程",
                "里程数",
                "里程",
                "公里数",
                "表显里程",
                "mileage",
                "odometer",
                "km",
                "kilometers",
                "kilometres",
            ],
            Role::ServiceType => &[
                "维修类别",
                "业务类型",
                "维修类型",
                "服务类型",
                "维修性质",
                "业务类别",
                "工单类型",
                "servicetype",
                "jobtype",
                "category",
                "repairtype",
                "type",
            ],
            Role::VehicleModel => &["车型", "车型名称", "车辆型号", "model", "vehiclemodel"],
            Role::VehicleSeries => &["车系", "车系名称", "series", "vehicleseries", "line"],
            Role::PurchaseDate => &[
                "购车日期",
                "购买日期",
                "购车时间",
                "销售日期",
                "上牌日期",
                "登记日期",
                "purchasedate",
                "saledate",
                "deliverydate",
                "registrationdate",
            ],
            Role::Region => &[
                "所属区域",
                "区域",
                "地区",
                "所在地区",
                "区县",
                "region",
                "area",
                "district",
            ],
            Role::BirthDate => &[
                "出生日期",
                "生日",
                "出生年月",
                "birthdate",
                "birthday",
                "dob",
            ],
            Role::Occupation => &["职业", "occupation", "profession", "job"],
            Role::VehicleUse => &[
                "车辆用途",
                "使用性质",
                "用途",
                "车辆性质",
                "vehicleuse",
                "usage",
                "use",
            ],
        }
    }

    /// True for roles whose values must parse as dates.
    fn is_date(self) -> bool {
        matches!(self, Role::Date | Role::PurchaseDate | Role::BirthDate)
    }

    /// True for roles whose values must parse as money or numbers.
    fn is_numeric(self) -> bool {
        matches!(
            self,
            Role::Amount
                | Role::Quantity
                | Role::UnitPrice
                | Role::LaborAmount
                | Role::PartsAmount
                | Role::Mileage
        )
    }
}

/// Lower-cases a header and drops spaces, punctuation, units in brackets and the like, so
/// that `实收金额（元）`, `Customer ID` and `customer_id` compare equal to their synonyms.
pub fn normalise_header(h: &str) -> String {
    let mut s = String::with_capacity(h.len());
    let mut depth = 0usize;
    for ch in h.chars() {
        match ch {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => s.extend(c.to_lowercase()),
            _ => {}
        }
    }
    if s.is_empty() {
        // A header entirely in brackets, e.g. "(VIN)".
        h.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    } else {
        s
    }
}

/// How well a header names a role, 0.0..=1.0.
fn header_score(role: Role, norm: &str) -> f32 {
    if norm.is_empty() {
        return 0.0;
    }
    let mut best = 0.0f32;
    for (i, syn) in role.synonyms().iter().enumerate() {
        // Earlier synonyms are more specific; keep a small preference for them.
        let rank = 1.0 - (i as f32) * 0.005;
        if norm == *syn {
            best = best.max(rank);
        } else if syn.chars().count() >= 2 && norm.contains(syn) {
            // "客户名称" inside "客户名称姓名" is strong; "日期" inside "购车日期" is weak.
            let cover = syn.chars().count() as f32 / norm.chars().count() as f32;
            best = best.max(0.45 + 0.4 * cover * rank);
        }
    }
    best
}

/// One detected role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleGuess {
    /// The role.
    pub role: Role,
    /// Column index (0-based).
    pub column: usize,
    /// The header text of that column.
    pub header: String,
    /// 0.0..=1.0: how sure the detection is (header match and values agreeing).
    pub confidence: f32,
    /// True when the user chose it.
    pub manual: bool,
}

/// The column chosen for each role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// role → guess (column, header, confidence).
    pub roles: BTreeMap<Role, RoleGuess>,
}

impl Mapping {
    /// The column of a role, if mapped.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.get(&role).map(|g| g.column)
    }

    /// True when the role is mapped.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains_key(&role)
    }

    /// The role that identifies a customer: customer_id, else phone, plate, vin, name.
    pub fn key_role(&self) -> Option<Role> {
        Role::KEY_ORDER.into_iter().find(|r| self.has(*r))
    }

    /// Names of the required roles that are missing (customer key, date, amount).
    pub fn missing_required(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if self.key_role().is_none() {
            missing.push("customer_id|phone|plate|vin|customer_name".to_string());
        }
        if !self.has(Role::Date) {
            missing.push("date".to_string());
        }
        let amount = self.has(Role::Amount)
            || (self.has(Role::Quantity) && self.has(Role::UnitPrice))
            || self.has(Role::LaborAmount)
            || self.has(Role::PartsAmount);
        if !amount {
            missing.push("amount|quantity×unit_price|labor_amount+parts_amount".to_string());
        }
        missing
    }

    /// `{role: header text}` as in the Report.
    pub fn to_headers(&self) -> BTreeMap<String, String> {
        self.roles
            .iter()
            .map(|(r, g)| (r.name().to_string(), g.header.clone()))
            .collect()
    }

    /// Applies a manual choice: `column = None` unmaps the role. A column already used by
    /// another role is taken from it.
    pub fn set(&mut self, role: Role, column: Option<usize>, headers: &[String]) {
        self.roles.remove(&role);
        if let Some(col) = column {
            self.roles.retain(|_, g| g.column != col);
            self.roles.insert(
                role,
                RoleGuess {
                    role,
                    column: col,
                    header: headers.get(col).cloned().unwrap_or_default(),
                    confidence: 1.0,
                    manual: true,
                },
            );
        }
    }

    /// Applies `ROLE=COLUMN` overrides (column by header text, or by 1-based number or
    /// spreadsheet letter when no header matches). `ROLE=` unmaps the role.
    pub fn apply_overrides(
        &mut self,
        overrides: &[(String, String)],
        headers: &[String],
    ) -> Result<(), EngineError> {
        for (role_name, column) in overrides {
            let role = Role::parse(role_name)?;
            let column = column.trim();
            if column.is_empty() {
                self.set(role, None, headers);
                continue;
            }
            let col = find_column(column, headers).ok_or_else(|| EngineError::NoSuchColumn {
                role: role.name().to_string(),
                column: column.to_string(),
            })?;
            self.set(role, Some(col), headers);
        }
        Ok(())
    }
}

/// Finds a column by exact header, normalised header, 1-based number or letter (A, B, AA).
fn find_column(name: &str, headers: &[String]) -> Option<usize> {
    if let Some(i) = headers.iter().position(|h| h.trim() == name) {
        return Some(i);
    }
    let norm = normalise_header(name);
    if !norm.is_empty() {
        if let Some(i) = headers.iter().position(|h| normalise_header(h) == norm) {
            return Some(i);
        }
    }
    if let Ok(n) = name.parse::<usize>() {
        if n >= 1 && n <= headers.len() {
            return Some(n - 1);
        }
    }
    if !name.is_empty() && name.len() <= 3 && name.chars().all(|c| c.is_ascii_alphabetic()) {
        let mut n = 0usize;
        for c in name.chars() {
            n = n * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
        }
        if n >= 1 && n <= headers.len() {
            return Some(n - 1);
        }
    }
    None
}

/// What fraction of a column's sample values fit a role (1.0 when there are no values).
fn value_fit(role: Role, sample: &[CellRef], date_1904: bool) -> f32 {
    let vals: Vec<&CellRef> = sample.iter().filter(|c| !c.is_empty()).collect();
    if vals.is_empty() {
        return 0.0;
    }
    let ok = vals
        .iter()
        .filter(|c| {
            let c: CellRef = ***c;
            match role {
                Role::BirthDate => values::parse_birth_date(c, date_1904).is_some(),
                r if r.is_date() => values::parse_date(c, date_1904).is_some(),
                Role::Amount | Role::UnitPrice | Role::LaborAmount | Role::PartsAmount => {
                    values::parse_amount(c).is_some()
                }
                r if r.is_numeric() => values::parse_number(c).is_some(),
                Role::Phone => looks_like_phone(&c.to_text()),
                Role::Vin => looks_like_vin(&c.to_text()),
                Role::Plate => looks_like_plate(&c.to_text()),
                _ => true,
            }
        })
        .count();
    ok as f32 / vals.len() as f32
}

/// A Chinese mobile or a landline-like number (and not a date such as `2024-01-02`).
pub fn looks_like_phone(s: &str) -> bool {
    if values::parse_date(CellRef::Text(s), false).is_some() {
        return false;
    }
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let other = s
        .chars()
        .filter(|c| !c.is_ascii_digit() && !matches!(c, ' ' | '-' | '+' | '(' | ')'))
        .count();
    other == 0 && (7..=13).contains(&digits.len())
}

/// 17 characters from the VIN alphabet (no I, O, Q).
pub fn looks_like_vin(s: &str) -> bool {
    let s = s.trim();
    s.len() == 17
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() && !matches!(c.to_ascii_uppercase(), 'I' | 'O' | 'Q')
        })
        && s.chars().any(|c| c.is_ascii_digit())
}

/// A Chinese plate: a province character followed by 6–7 letters/digits.
pub fn looks_like_plate(s: &str) -> bool {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '·' | '•' | '-'))
        .collect();
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if !first.is_ascii() => {
            let rest: Vec<char> = chars.collect();
            (6..=7).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '学' | '警' | '挂'))
        }
        _ => false,
    }
}

/// How many data rows below the header are looked at when detecting roles.
const SAMPLE_ROWS: usize = 200;

/// Detects the role of every column from the header text and a sample of values below it.
pub fn detect_roles(table: &RawTable, header_row: usize) -> Mapping {
    let headers = header_texts(table, header_row);
    let sample_end = (header_row + 1 + SAMPLE_ROWS).min(table.len());
    let samples: Vec<Vec<CellRef>> = (0..headers.len())
        .map(|c| {
            (header_row + 1..sample_end)
                .map(|r| table.cell(r, c))
                .collect()
        })
        .collect();

    // Score every (role, column) pair.
    let mut cands: Vec<(f32, Role, usize)> = Vec::new();
    for (col, h) in headers.iter().enumerate() {
        let norm = normalise_header(h);
        for role in Role::ALL {
            let hs = header_score(role, &norm);
            let fit = value_fit(role, &samples[col], table.date_1904);
            let score = if hs > 0.0 {
                // Typed roles need values that fit; a header alone is not enough.
                if role.is_date() || role.is_numeric() {
                    if fit < 0.5 {
                        continue;
                    }
                    hs * (0.7 + 0.3 * fit)
                } else if matches!(role, Role::Phone | Role::Vin) {
                    hs * (0.8 + 0.2 * fit)
                } else {
                    hs
                }
            } else if matches!(role, Role::Phone | Role::Vin | Role::Plate) && fit >= 0.9 {
                // Recognised from the values alone.
                0.5 * fit
            } else {
                continue;
            };
            cands.push((score, role, col));
        }
    }
    // Greedy: best score first, one role per column and one column per role.
    cands.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.2.cmp(&b.2))
            .then(a.1.cmp(&b.1))
    });
    let mut mapping = Mapping::default();
    let mut used = vec![false; headers.len()];
    for (score, role, col) in cands {
        if used[col] || mapping.has(role) || score < 0.4 {
            continue;
        }
        used[col] = true;
        mapping.roles.insert(
            role,
            RoleGuess {
                role,
                column: col,
                header: headers[col].clone(),
                confidence: (score * 100.0).round() / 100.0,
                manual: false,
            },
        );
    }
    mapping
}

/// The header texts of a row (empty headers become `列N` / column letters).
pub fn header_texts(table: &RawTable, header_row: usize) -> Vec<String> {
    let width = table.width();
    (0..width)
        .map(|c| {
            let t = table.cell(header_row, c).to_text().trim().to_string();
            if t.is_empty() {
                column_letter(c)
            } else {
                t
            }
        })
        .collect()
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.iter().rev().collect()
}

/// How many rows from the top are considered when looking for the header.
const HEADER_SCAN: usize = 30;

/// Finds the header row (0-based): the row among the first rows whose cells best match
/// known column names; title rows and blank rows above it are passed over.
pub fn detect_header_row(table: &RawTable) -> usize {
    let width = table.width().max(1);
    let mut best = (0.0f32, usize::MAX);
    let limit = table.len().min(HEADER_SCAN);
    for r in 0..limit {
        let row = table.row(r);
        let texts: Vec<String> = row
            .iter()
            .filter_map(|c| match c {
                CellRef::Text(t) if !t.trim().is_empty() => Some(normalise_header(t)),
                _ => None,
            })
            .collect();
        if texts.len() < 2 {
            continue;
        }
        let matched: f32 = texts
            .iter()
            .map(|t| {
                Role::ALL
                    .into_iter()
                    .map(|role| header_score(role, t))
                    .fold(0.0f32, f32::max)
            })
            .sum();
        let numbers = row
            .iter()
            .filter(|c| matches!(c, CellRef::Number(_)))
            .count();
        // Synonym matches dominate; otherwise prefer wide, all-text rows.
        let score = matched * 10.0 + texts.len() as f32 / width as f32 - numbers as f32;
        if score > best.0 {
            best = (score, r);
        }
    }
    if best.1 != usize::MAX {
        return best.1;
    }
    // No text row at all: the first non-empty row.
    table.rows().position(|r| !r.is_blank()).unwrap_or(0)
}
