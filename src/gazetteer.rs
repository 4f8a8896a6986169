//! China's provincial- and prefecture-level divisions (`data/gazetteer.toml`), for telling a
//! unit's own place from the places its report names.
//!
//! The data is compiled into the binary and parsed once. Lookups are by exact name (full or
//! short) or by the full names found in a piece of text; a unit's place comes from its title or
//! name, and is `None` whenever it cannot be told: the checks that need it then give no verdict.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

const DATA: &str = include_str!("../data/gazetteer.toml");

/// A provincial- or prefecture-level division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The full name: 广东省, 深圳市, 延边朝鲜族自治州.
    pub name: String,
    /// Other names: 广东, 粤; 深圳; 延边.
    pub short: Vec<String>,
    pub level: Level,
    /// Index of the province (itself for a province) in [`Gazetteer::places`].
    pub province: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Province,
    Prefecture,
}

/// Where a unit sits, as far as its name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPlace {
    /// Index of the province in [`Gazetteer::places`].
    pub province: usize,
    /// Index of the prefecture, when the unit is at or below one that its name gives.
    pub prefecture: Option<usize>,
}

#[derive(Debug)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    /// Every unambiguous name (full, and short names of two characters or more) to its place.
    by_name: BTreeMap<String, usize>,
    /// Full names, longest first, so that 海南藏族自治州 is found before 海南省 could be.
    full_names: Vec<(String, usize)>,
    /// One automaton over `full_names` (pattern ids are their indices): a text is read once for
    /// all 367 names instead of once per name.
    full_name_finder: aho_corasick::AhoCorasick,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGazetteer {
    province: Vec<RawProvince>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvince {
    name: String,
    short: Vec<String>,
    prefectures: Vec<String>,
}

/// The bundled gazetteer.
pub static GAZETTEER: LazyLock<Gazetteer> =
    LazyLock::new(|| Gazetteer::parse(DATA).expect("data/gazetteer.toml is valid (tested)"));

/// A prefecture's short name: given after `|`, or the name without 市, 地区 or 盟.
fn prefecture_short(entry: &str) -> (String, Option<String>) {
    if let Some((name, short)) = entry.split_once('|') {
        return (name.to_string(), Some(short.to_string()));
    }
    let short = ["地区", "市", "盟"]
        .iter()
        .find_map(|s| entry.strip_suffix(s))
        .filter(|s| s.chars().count() >= 2)
        .map(str::to_string);
    (entry.to_string(), short)
}

impl Gazetteer {
    pub fn parse(text: &str) -> Result<Gazetteer, String> {
        let raw: RawGazetteer = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut places = Vec::new();
        for p in raw.province {
            let province = places.len();
            places.push(Place {
                name: p.name,
                short: p.short,
                level: Level::Province,
                province,
            });
            for entry in p.prefectures {
                let (name, short) = prefecture_short(&entry);
                places.push(Place {
                    name,
                    short: short.into_iter().collect(),
                    level: Level::Prefecture,
                    province,
                });
            }
        }
        // Count every name's owners; a name two places share is left out of the lookups.
        let mut owners: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, p) in places.iter().enumerate() {
            owners.entry(&p.name).or_default().push(i);
            for s in &p.short {
                owners.entry(s).or_default().push(i);
            }
        }
        let mut by_name = BTreeMap::new();
        for (name, ids) in &owners {
            if let [only] = ids[..] {
                by_name.insert((*name).to_string(), only);
            } else if places[ids[0]].name == *name {
                return Err(format!("the full name {name} is given twice"));
            }
        }
        let mut full_names: Vec<(String, usize)> = places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i))
            .collect();
        full_names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        // Dense transition tables for the first byte only: the default (three bytes deep) costs a
        // third more to build, a quarter of a millisecond of a single report, for no faster search
        // (the names are CJK, three bytes a character).
        let full_name_finder = aho_corasick::AhoCorasick::builder()
            .dense_depth(1)
            .build(full_names.iter().map(|(n, _)| n))
            .map_err(|e| format!("cannot index the full names: {e}"))?;
        Ok(Gazetteer {
            places,
            by_name,
            full_names,
            full_name_finder,
        })
    }

    /// The place a name stands for exactly: a full name, or an unambiguous short name.
    pub fn lookup(&self, name: &str) -> Option<&Place> {
        self.by_name.get(name.trim()).map(|&i| &self.places[i])
    }

    /// Index of the place a name stands for, as [`Gazetteer::lookup`].
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name.trim()).copied()
    }

    /// The full names in `text`, each with its byte range, leftmost first and without overlaps.
    /// Short names are not searched: 白银, 日照, 安康 and 朝阳 are common words.
    pub fn full_names_in(&self, text: &str) -> Vec<(usize, std::ops::Range<usize>)> {
        // Every occurrence of every name, then taken name by name, longest name first: a
        // name's occurrences that overlap an earlier one of the same name are not occurrences
        // (as `str::match_indices` counts them), and one that overlaps a longer name's is
        // part of that name.
        let mut hits: Vec<(usize, std::ops::Range<usize>)> = self
            .full_name_finder
            .find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.range()))
            .collect();
        hits.sort_by_key(|(name, r)| (*name, r.start));
        let mut found: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        let mut last: Option<(usize, usize)> = None;
        for (name, range) in hits {
            if last.is_some_and(|(n, end)| n == name && range.start < end) {
                continue;
            }
            last = Some((name, range.end));
            let i = self.full_names[name].1;
            // 中山市场 is 中山 + 市场 far more often than a city's market.
            if self.places[i].level == Level::Prefecture && text[range.end..].starts_with('场') {
                continue;
            }
            if !found
                .iter()
                .any(|(_, r)| r.start < range.end && range.start < r.end)
            {
                found.push((i, range));
            }
        }
        found.sort_by_key(|(_, r)| r.start);
        found
    }

    /// The unit's place from its name or title (云山县人民政府 → unknown; 湖南省云山县人民政府 →
    /// 湖南; 中共株洲市委 株洲市人民政府 → 湖南, 株洲). The first place named decides; a later
    /// place outside it (a province named after a prefecture of another) makes it unknown.
    pub fn unit_place(&self, name: &str) -> Option<UnitPlace> {
        // Only the unit's name: the title's own words (关于2023年度…) name no place of the unit.
        let head = name.split("关于").next().unwrap_or(name);
        let mut province: Option<usize> = None;
        let mut prefecture: Option<usize> = None;
        for (i, _) in self.full_names_in(head) {
            let p = &self.places[i];
            if province.is_some_and(|q| q != p.province) {
                return None;
            }
            province = Some(p.province);
            if p.level == Level::Prefecture {
                if prefecture.is_some_and(|q| q != i) {
                    return None;
                }
                prefecture = Some(i);
            }
        }
        // An autonomous prefecture is named by its short name and 州 (黔东南州岑梧县, 湘西州…):
        // that is its usual name, not a word.
        if province.is_none() {
            let head = head.trim();
            for (i, p) in self.places.iter().enumerate() {
                let autonomous = p.level == Level::Prefecture && p.name.ends_with("自治州");
                if autonomous
                    && let Some(short) = p.short.first()
                    && head
                        .strip_prefix(short.as_str())
                        .is_some_and(|rest| rest.starts_with('州'))
                {
                    province = Some(p.province);
                    prefecture = Some(i);
                }
            }
        }
        // Without a full name, a unit name may start with a province's short name (广东司法厅).
        // Prefectures' short names are left out: 中山街道 and 朝阳区 are not 中山市 or 朝阳市.
        if province.is_none() {
            let head = head.trim();
            for p in self.places.iter().filter(|p| p.level == Level::Province) {
                for s in p.short.iter().filter(|s| s.chars().count() >= 2) {
                    let Some(rest) = head.strip_prefix(s.as_str()) else {
                        continue;
                    };
                    // 湖南镇, 河南村: a township named like a province.
                    if !rest.starts_with(['镇', '乡', '县', '区', '村', '街', '路']) {
                        province = Some(p.province);
                    }
                }
            }
        }
        province.map(|province| UnitPlace {
            province,
            prefecture,
        })
    }

    /// Whether place `i` is the unit's own or one the unit lies in (its province or prefecture).
    pub fn is_own(&self, unit: UnitPlace, i: usize) -> bool {
        let p = &self.places[i];
        match p.level {
            Level::Province => p.province == unit.province,
            Level::Prefecture => match unit.prefecture {
                Some(q) => q == i,
                // A provincial unit: its prefectures are its own.
                None => p.province == unit.province,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_gazetteer_has_every_province_and_prefecture() {
        let g = &*GAZETTEER;
        let provinces = g
            .places
            .iter()
            .filter(|p| p.level == Level::Province)
            .count();
        let prefectures = g.places.len() - provinces;
        assert_eq!((provinces, prefectures), (34, 333));
    }

    #[test]
    fn names_and_short_names_are_looked_up() {
        let g = &*GAZETTEER;
        assert_eq!(g.lookup("广东").unwrap().name, "广东省");
        assert_eq!(g.lookup("粤").unwrap().name, "广东省");
        let shenzhen = g.lookup("深圳").unwrap();
        assert_eq!(shenzhen.level, Level::Prefecture);
        assert_eq!(g.places[shenzhen.province].name, "广东省");
        assert_eq!(g.lookup("延边").unwrap().name, "延边朝鲜族自治州");
        assert_eq!(g.lookup("大兴安岭").unwrap().name, "大兴安岭地区");
        // Shared short names are ambiguous; full names are not.
        assert!(g.lookup("吉林").is_none());
        assert!(g.lookup("海南").is_none());
        assert_eq!(g.lookup("吉林市").unwrap().level, Level::Prefecture);
        assert_eq!(g.lookup("海南省").unwrap().level, Level::Province);
        assert!(g.lookup("云山县").is_none());
    }

    #[test]
    fn full_names_are_found_in_text_longest_first() {
        let g = &*GAZETTEER;
        let names: Vec<&str> = g
            .full_names_in("海南藏族自治州与海南省、中山市市场监管局、中山市场")
            .into_iter()
            .map(|(i, _)| g.places[i].name.as_str())
            .collect();
        assert_eq!(names, ["海南藏族自治州", "海南省", "中山市"]);
    }

    /// The same search name by name, as the automaton replaced it: the two must agree.
    fn full_names_one_by_one(g: &Gazetteer, text: &str) -> Vec<(usize, std::ops::Range<usize>)> {
        let mut found: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for (name, i) in &g.full_names {
            for (at, _) in text.match_indices(name.as_str()) {
                let range = at..at + name.len();
                if g.places[*i].level == Level::Prefecture && text[range.end..].starts_with('场') {
                    continue;
                }
                if !found
                    .iter()
                    .any(|(_, r)| r.start < range.end && range.start < r.end)
                {
                    found.push((*i, range));
                }
            }
        }
        found.sort_by_key(|(_, r)| r.start);
        found
    }

    #[test]
    fn the_automaton_finds_what_a_search_per_name_finds() {
        let g = &*GAZETTEER;
        let texts = [
            "海南藏族自治州与海南省、中山市市场监管局、中山市场",
            "吉林省吉林市吉林市场，延边朝鲜族自治州延边州，海西蒙古族藏族自治州海西州",
            "学习借鉴浙江省杭州市、江苏省苏州市苏州市和广东省深圳市的做法",
            "",
            "没有地名的一句话。",
        ];
        for text in texts {
            assert_eq!(
                g.full_names_in(text),
                full_names_one_by_one(g, text),
                "{text}"
            );
        }
        // Every full name alone, and each glued to the next: overlaps at every boundary.
        for pair in g.full_names.windows(2) {
            let text = format!("{}{}场{}", pair[0].0, pair[1].0, pair[0].0);
            assert_eq!(
                g.full_names_in(&text),
                full_names_one_by_one(g, &text),
                "{text}"
            );
        }
    }

    #[test]
    fn the_unit_place_comes_from_its_name() {
        let g = &*GAZETTEER;
        let name = |u: UnitPlace| {
            (
                g.places[u.province].name.as_str(),
                u.prefecture.map(|p| g.places[p].name.as_str()),
            )
        };
        assert_eq!(g.unit_place("云山县人民政府"), None);
        assert_eq!(
            name(g.unit_place("湖南省云山县人民政府").unwrap()),
            ("湖南省", None)
        );
        assert_eq!(
            name(g.unit_place("中共株洲市委 株洲市人民政府").unwrap()),
            ("湖南省", Some("株洲市"))
        );
        assert_eq!(name(g.unit_place("广东司法厅").unwrap()), ("广东省", None));
        assert_eq!(
            name(g.unit_place("深圳市司法局关于2023年度湖北省…").unwrap()),
            ("广东省", Some("深圳市"))
        );
        // A township or district named like a place is not that place.
        assert_eq!(g.unit_place("中山街道办事处"), None);
        assert_eq!(g.unit_place("朝阳区人民政府"), None);
        assert_eq!(g.unit_place("湖南镇人民政府"), None);
        // Places that disagree: no verdict.
        assert_eq!(g.unit_place("湖南省株洲市 广东省"), None);
        // An autonomous prefecture by its usual name.
        assert_eq!(
            name(g.unit_place("黔东南州岑梧县人民政府").unwrap()),
            ("贵州省", Some("黔东南苗族侗族自治州"))
        );
        assert_eq!(g.unit_place("黔东南岑梧县人民政府"), None);
    }
}
