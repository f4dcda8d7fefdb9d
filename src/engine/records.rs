//! Typed service records from the raw table: every data row is either used or skipped with
//! a reason.

use crate::engine::intern::{Interner, Strings, Sym};
use crate::engine::mapping::{Mapping, Role};
use crate::engine::table::{CellRef, RawTable, Row};
use crate::engine::values::{self, Cents};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One row of the export, typed. The texts are symbols of the extraction's
/// [`Strings`](crate::engine::intern::Strings) pool (`T = Sym`), or owned (`T = String`) for a
/// record built by hand ([`ServiceRecord::intern`] turns one into the other).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRecord<T = Sym> {
    /// 1-based row number in the sheet.
    pub row: usize,
    /// The customer key (see [`Mapping::key_role`]).
    pub customer: T,
    /// Customer name when mapped.
    pub customer_name: Option<T>,
    /// Work order number when mapped.
    pub order_id: Option<T>,
    /// Service date.
    pub date: NaiveDate,
    /// Amount in fen (negative for refunds and credit notes).
    pub amount: Cents,
    pub phone: Option<T>,
    pub plate: Option<T>,
    pub vin: Option<T>,
    pub mileage: Option<f64>,
    pub service_type: Option<T>,
    pub vehicle_model: Option<T>,
    pub vehicle_series: Option<T>,
    pub purchase_date: Option<NaiveDate>,
    pub region: Option<T>,
    pub birth_date: Option<NaiveDate>,
    pub occupation: Option<T>,
    pub vehicle_use: Option<T>,
}

impl<T> ServiceRecord<T> {
    /// A record of `amount` for `customer` on `date`, row 0, no other field set.
    pub fn new(customer: T, date: NaiveDate, amount: Cents) -> Self {
        ServiceRecord {
            row: 0,
            customer,
            customer_name: None,
            order_id: None,
            date,
            amount,
            phone: None,
            plate: None,
            vin: None,
            mileage: None,
            service_type: None,
            vehicle_model: None,
            vehicle_series: None,
            purchase_date: None,
            region: None,
            birth_date: None,
            occupation: None,
            vehicle_use: None,
        }
    }
}

impl<T: AsRef<str>> ServiceRecord<T> {
    /// The record with its texts stored in `pool`; `None` only when the pool is full (see
    /// [`Interner::intern`]).
    pub fn intern(&self, pool: &mut Interner) -> Option<ServiceRecord> {
        let customer = pool.intern(self.customer.as_ref())?;
        let mut opt = |t: &Option<T>| -> Option<Option<Sym>> {
            match t {
                Some(t) => pool.intern(t.as_ref()).map(Some),
                None => Some(None),
            }
        };
        Some(ServiceRecord {
            row: self.row,
            customer,
            customer_name: opt(&self.customer_name)?,
            order_id: opt(&self.order_id)?,
            date: self.date,
            amount: self.amount,
            phone: opt(&self.phone)?,
            plate: opt(&self.plate)?,
            vin: opt(&self.vin)?,
            mileage: self.mileage,
            service_type: opt(&self.service_type)?,
            vehicle_model: opt(&self.vehicle_model)?,
            vehicle_series: opt(&self.vehicle_series)?,
            purchase_date: self.purchase_date,
            region: opt(&self.region)?,
            birth_date: self.birth_date,
            occupation: opt(&self.occupation)?,
            vehicle_use: opt(&self.vehicle_use)?,
        })
    }
}

/// Why a row was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Every cell empty.
    BlankRow,
    /// A 合计/总计/小计/Total row.
    TotalsRow,
    /// The header repeated (multi-page exports).
    RepeatedHeader,
    /// No customer_id / phone / plate / vin / name in the key column.
    NoCustomerKey,
    /// The date cell is empty.
    NoDate,
    /// The date cell holds something that is not a date.
    InvalidDate,
    /// No amount (nor quantity × price, nor labor + parts).
    NoAmount,
    /// The amount cell holds something that is not an amount.
    InvalidAmount,
}

impl SkipReason {
    /// The snake_case name used in the Report.
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::BlankRow => "blank_row",
            SkipReason::TotalsRow => "totals_row",
            SkipReason::RepeatedHeader => "repeated_header",
            SkipReason::NoCustomerKey => "no_customer_key",
            SkipReason::NoDate => "no_date",
            SkipReason::InvalidDate => "invalid_date",
            SkipReason::NoAmount => "no_amount",
            SkipReason::InvalidAmount => "invalid_amount",
        }
    }

    /// A label for the data-quality summary.
    pub fn label(self, lang: crate::engine::Lang) -> &'static str {
        use crate::engine::Lang::*;
        match (self, lang) {
            (SkipReason::BlankRow, Zh) => "空行",
            (SkipReason::TotalsRow, Zh) => "合计行",
            (SkipReason::RepeatedHeader, Zh) => "重复表头",
            (SkipReason::NoCustomerKey, Zh) => "缺少客户标识",
            (SkipReason::NoDate, Zh) => "缺少日期",
            (SkipReason::InvalidDate, Zh) => "日期无效",
            (SkipReason::NoAmount, Zh) => "缺少金额",
            (SkipReason::InvalidAmount, Zh) => "金额无效",
            (SkipReason::BlankRow, En) => "blank row",
            (SkipReason::TotalsRow, En) => "totals row",
            (SkipReason::RepeatedHeader, En) => "repeated header",
            (SkipReason::NoCustomerKey, En) => "no customer key",
            (SkipReason::NoDate, En) => "no date",
            (SkipReason::InvalidDate, En) => "invalid date",
            (SkipReason::NoAmount, En) => "no amount",
            (SkipReason::InvalidAmount, En) => "invalid amount",
        }
    }
}

/// The records and the account of the rows that were not used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Rows below the header that were looked at.
    pub rows_read: usize,
    /// The rows used, in sheet order.
    pub records: Vec<ServiceRecord>,
    /// The texts of the records.
    pub strings: Strings,
    /// Skipped rows by reason.
    pub skipped: BTreeMap<SkipReason, usize>,
    /// Up to a few example row numbers (1-based) per reason, for the summary.
    pub examples: BTreeMap<SkipReason, Vec<usize>>,
}

/// How many example row numbers are kept per skip reason.
const EXAMPLES: usize = 5;

impl Extraction {
    /// The extraction of records built by hand, every one used: their texts go to one pool.
    /// `None` only when the pool is full (see [`Interner::intern`]).
    pub fn from_records<T: AsRef<str>>(records: &[ServiceRecord<T>]) -> Option<Extraction> {
        let mut pool = Interner::default();
        let records = records
            .iter()
            .map(|r| r.intern(&mut pool))
            .collect::<Option<Vec<_>>>()?;
        Some(Extraction {
            rows_read: records.len(),
            records,
            strings: pool.finish(),
            ..Extraction::default()
        })
    }

    fn skip(&mut self, reason: SkipReason, row: usize) {
        *self.skipped.entry(reason).or_insert(0) += 1;
        let ex = self.examples.entry(reason).or_default();
        if ex.len() < EXAMPLES {
            ex.push(row);
        }
    }

    /// Total skipped rows.
    pub fn rows_skipped(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// Reads every row below `header_row` (0-based) into records, skipping and counting the
/// rest. Trailing blank rows after the last non-empty row are not counted as read.
pub fn extract<'a>(table: &'a RawTable, header_row: usize, mapping: &Mapping) -> Extraction {
    let mut out = Extraction::default();
    let Some(key_role) = mapping.key_role() else {
        return out;
    };
    let last = table
        .rows()
        .rposition(|r| !r.is_blank())
        .map(|i| i + 1)
        .unwrap_or(0);
    let header: Vec<String> = if header_row < table.len() {
        table
            .row(header_row)
            .iter()
            .map(|c| c.to_text().trim().to_string())
            .collect()
    } else {
        Vec::new()
    };
    let header_non_empty = header.iter().filter(|h| !h.is_empty()).count();
    let col = |role: Role| mapping.column(role);
    let cell =
        |row: &Row<'a>, role: Role| -> Option<CellRef<'a>> { col(role).and_then(|c| row.get(c)) };
    let date = |row: &Row<'a>, role: Role| -> Option<NaiveDate> {
        cell(row, role).and_then(|c| values::parse_date(c, table.date_1904))
    };
    let mut pool = Interner::default();
    out.records.reserve(last.saturating_sub(header_row + 1));
    let memo = |role: Role| TextMemo::new(table, col(role));
    let mut key_memo = memo(key_role);
    let mut memos = TEXT_ROLES.map(memo);

    for r in (header_row + 1)..last {
        let row = table.row(r);
        let row = &row;
        let rownum = r + 1;
        out.rows_read += 1;
        if row.is_blank() {
            out.skip(SkipReason::BlankRow, rownum);
            continue;
        }
        if is_totals_row(row) {
            out.skip(SkipReason::TotalsRow, rownum);
            continue;
        }
        if !header.is_empty()
            && row.len() >= 2
            && row
                .iter()
                .zip(&header)
                .filter(|(c, h)| !h.is_empty() && c.text_is(h))
                .count()
                >= 2.max(header_non_empty / 2)
        {
            out.skip(SkipReason::RepeatedHeader, rownum);
            continue;
        }
        // (a name is read as an id is: `parse_text` is `parse_id`)
        let Some(customer) = key_memo.read(row, &mut pool) else {
            out.skip(SkipReason::NoCustomerKey, rownum);
            continue;
        };
        let date_cell = cell(row, Role::Date);
        let d = match date_cell {
            None => None,
            Some(c) if c.is_empty() => None,
            Some(c) => match values::parse_date(c, table.date_1904) {
                Some(d) => Some(d),
                None => {
                    out.skip(SkipReason::InvalidDate, rownum);
                    continue;
                }
            },
        };
        let Some(d) = d else {
            out.skip(SkipReason::NoDate, rownum);
            continue;
        };
        let amount = match row_amount(row, mapping) {
            Ok(a) => a,
            Err(reason) => {
                out.skip(reason, rownum);
                continue;
            }
        };
        // Identifiers and labels are read alike (`parse_text` is `parse_id`); a text the pool
        // cannot take (past 4 GiB, see `Interner::intern`) is left out.
        let [customer_name, order_id, phone, plate, vin, service_type, vehicle_model, vehicle_series, region, occupation, vehicle_use] =
            memos.each_mut().map(|m| m.read(row, &mut pool));
        out.records.push(ServiceRecord {
            row: rownum,
            customer,
            customer_name,
            order_id,
            date: d,
            amount,
            phone,
            plate,
            vin,
            mileage: cell(row, Role::Mileage).and_then(values::parse_number),
            service_type,
            vehicle_model,
            vehicle_series,
            purchase_date: date(row, Role::PurchaseDate),
            region,
            birth_date: cell(row, Role::BirthDate)
                .and_then(|c| values::parse_birth_date(c, table.date_1904)),
            occupation,
            vehicle_use,
        });
    }
    out.records.shrink_to_fit();
    out.strings = pool.finish();
    out
}

/// The text roles of a record besides its key, in the order [`extract`] takes them apart.
const TEXT_ROLES: [Role; 11] = [
    Role::CustomerName,
    Role::OrderId,
    Role::Phone,
    Role::Plate,
    Role::Vin,
    Role::ServiceType,
    Role::VehicleModel,
    Role::VehicleSeries,
    Role::Region,
    Role::Occupation,
    Role::VehicleUse,
];

/// Reads one mapped column's cells as texts of the pool (`values::parse_id_ref`, then
/// `Interner::intern`), once per distinct value where the table numbers its values
/// ([`Row::get_coded`]): a service type or a model that a hundred thousand rows repeat is
/// trimmed, hashed and looked up once. The symbols are those reading every cell would give,
/// in the same order, since a value's first cell is read as before.
struct TextMemo {
    col: Option<usize>,
    /// Per value number: `None` until read, then its symbol (or `None` for no text).
    read: Vec<Option<Option<Sym>>>,
}

impl TextMemo {
    fn new(table: &RawTable, col: Option<usize>) -> TextMemo {
        let values = col.and_then(|c| table.cells.distinct(c)).unwrap_or(0);
        TextMemo {
            col,
            read: vec![None; values.saturating_add(1)],
        }
    }

    fn read(&mut self, row: &Row, pool: &mut Interner) -> Option<Sym> {
        let (cell, code) = row.get_coded(self.col?)?;
        let text = |pool: &mut Interner| values::parse_id_ref(cell).and_then(|t| pool.intern(&t));
        match code.and_then(|c| self.read.get_mut(c as usize)) {
            Some(Some(sym)) => *sym,
            Some(slot) => *slot.insert(text(pool)),
            None => text(pool),
        }
    }
}

/// A row whose first text cells say 合计/总计/小计/Total.
fn is_totals_row(row: &Row) -> bool {
    row.iter()
        .filter(|c| !c.is_empty())
        .take(3)
        .any(|c| matches!(c, CellRef::Text(t) if values::is_totals_label(t)))
}

/// The row's amount: amount, else quantity × unit price, else labor + parts.
fn row_amount(row: &Row, mapping: &Mapping) -> Result<Cents, SkipReason> {
    let cell = |role: Role| -> Option<CellRef> {
        mapping
            .column(role)
            .and_then(|c| row.get(c))
            .filter(|c| !c.is_empty())
    };
    let mut invalid = false;
    if let Some(c) = cell(Role::Amount) {
        match values::parse_amount(c) {
            Some(a) => return Ok(a),
            None => invalid = true,
        }
    }
    if let (Some(q), Some(p)) = (cell(Role::Quantity), cell(Role::UnitPrice)) {
        match (values::parse_number(q), values::parse_amount(p)) {
            (Some(q), Some(p)) => {
                let v = q * p as f64;
                if v.is_finite() && v.abs() < 1e15 {
                    return Ok(v.round() as Cents);
                }
                invalid = true;
            }
            _ => invalid = true,
        }
    }
    let labor = cell(Role::LaborAmount);
    let parts = cell(Role::PartsAmount);
    if labor.is_some() || parts.is_some() {
        let l = labor.map(values::parse_amount);
        let p = parts.map(values::parse_amount);
        match (l, p) {
            (Some(None), _) | (_, Some(None)) => invalid = true,
            (l, p) => {
                let sum = l
                    .flatten()
                    .unwrap_or(0)
                    .checked_add(p.flatten().unwrap_or(0));
                match sum {
                    Some(s) => return Ok(s),
                    None => invalid = true,
                }
            }
        }
    }
    Err(if invalid {
        SkipReason::InvalidAmount
    } else {
        SkipReason::NoAmount
    })
}
