// StoryLoom studio: one ES module, no framework, no build step, nothing from the network but this server.
//
// Every piece of user text reaches the page through textContent or setAttribute (the h()/s() helpers
// below), never through innerHTML.  Charts are inline SVG drawn here from the Report JSON
// (schema storyloom.report/1) with the same look and views as the offline HTML report
// (src/storyloom/render/html.py).  Scales: intensity in [0, 1]; valence and arousal 1–9 (5 neutral);
// emotion shares sum to 1.

// -- interface strings -----------------------------------------------------------------------------
// Simplified Chinese and English; Traditional is derived from Simplified with the S2T character table
// at the end of this file (made once with OpenCC s2tw from these very strings).

const DICT = {
  zh: {
    app_name: "叙事工坊", app_alt: "StoryLoom", jump: "跳到", skip: "跳到主要内容", nav: "主导航", nav_studio: "写作与分析", nav_library: "故事库",
    nav_timeline: "时间线", nav_batch: "课堂批量", ui_lang: "界面语言", ui_auto: "跟随故事",
    input_title: "你的故事", input_help: "写下、粘贴或上传一个故事（中文或英文）。一切都在这台电脑上完成。",
    story_label: "故事正文", story_ph: "在深夜的街头，我遇到了一位老奶奶……", upload_label: "上传文件（.txt、.md、.docx）",
    story_lang: "故事语言", lang_auto: "自动识别", lang_zh: "中文", lang_en: "英文", engine_label: "分析引擎",
    engine_default: "默认", engine_lexicon: "词典", engine_model: "模型", analyze: "分析", example: "试试示例", clear: "清空",
    analyzing: "正在分析……", analyzed: "分析完成：{n} 句。", empty_text: "请先写下或粘贴一个故事。",
    file_loaded: "已读入文件：{name}", file_bad: "无法读取这个文件：{msg}", file_type: "只支持 .txt、.md 和 .docx 文件。",
    save_title: "保存到故事库", title_label: "标题", tags_label: "标签（用逗号分隔）", date_label: "写于",
    save_story: "保存故事", full_report: "打开完整报告", hide_report: "收起完整报告", saving: "正在保存……",
    saved: "已保存到故事库。", updated: "已更新。",
    write_title: "据此写一个新故事",
    write_help: "保留你故事里的人物、地点和事件，换一种情绪或讲法重新写。会写出几个候选，由同一个分析器打分，选出最接近目标的一篇。",
    w_target: "目标情绪", w_target_story: "沿用故事本身的情绪", w_feel: "或者，你现在感觉怎样？（用你自己的话）",
    w_feel_ph: "温暖、释然、有希望……", w_pov: "人称", pov_second: "第二人称（你）", pov_first: "第一人称（我）",
    pov_third: "第三人称（他/她）", w_style: "风格", style_plain: "平实", style_lyrical: "抒情", style_children: "童话",
    style_fable: "寓言", style_letter: "写给过去的自己的信", w_length: "长度", len_short: "短（与原文相当）",
    len_medium: "中（约 1.5 倍）", len_long: "长（约 2 倍）", w_backend: "生成方式", w_n: "候选数", w_close: "结尾加一段反思",
    write: "写故事", regenerate: "换一批", save_version: "保存这个故事", writing: "正在写……（{n} 个候选）",
    written: "写好了：从 {n} 个候选中选出了得分最好的一篇。", version_saved: "已保存到故事库（连同原来的故事）。",
    original: "原来的故事", new_story: "新的故事", candidates: "候选与得分",
    candidates_help: "总分越低越好：情绪距离（与目标情绪分布的差异）、效价差距、丢失的要素、与原文内容的偏离。",
    c_rank: "#", c_total: "总分", c_emotion: "情绪距离", c_valence: "效价差距", c_elements: "丢失要素", c_content: "内容偏离",
    c_dominant: "主要情绪", c_text: "全文", c_read: "阅读", chosen: "已选", analyses: "两篇的分析对比",
    target_is: "目标：{t}", notes: "说明", support_title: "我们先不改写这个故事",
    safety_title: "谢谢你愿意写下这些", safety_concern: "你写下的一些话让我们有点担心你现在的状况。如果你正感到很难受，不必一个人扛着——可以和一位信任的人说说，或者联系下面的支持资源。",
    safety_urgent: "你写下的话让我们很担心你的安全。如果你有伤害自己的念头，请现在就联系下面的热线或当地急救电话（中国大陆 120，其他地区请拨当地紧急号码），或者请身边的人陪着你。",
    safety_evidence: "让我们注意到的句子", safety_resources: "可以求助的地方", safety_none: "请联系当地的心理援助热线或紧急服务。",
    search: "搜索", tag: "标签", search_btn: "查找", lib_empty: "故事库里还没有故事。", lib_count: "共 {n} 篇",
    open: "打开", delete: "删除", confirm_delete: "确定要删除“{t}”吗？它的分析和改写版本也会一起删除。", deleted: "已删除。",
    open_in_studio: "在写作台中打开", save_tags: "保存标签", versions: "改写版本", no_versions: "还没有改写版本。",
    delete_version: "删除这个版本", written_on: "写于 {d}", created: "创建于 {d}", analysis: "分析",
    timeline_help: "按日期排列的每一篇：纵轴是效价（1 很不愉快，5 中性，9 很愉快），圆点的颜色是主要情绪。点一下圆点或下面的条目即可打开那一篇。",
    tl_empty: "还没有可以画进时间线的故事。先在写作台保存几篇吧。", tl_aria: "效价时间线：{n} 篇，从 {a} 到 {b}。", date: "日期",
    batch_help: "上传一批作文：CSV（含 text 列）、JSONL（每行 {\"id\",\"text\"}）或 .txt/.docx 的 zip 压缩包。",
    batch_file: "作文文件", batch_upload: "上传并分析", batch_csv: "下载 CSV", batch_progress: "已分析 {done} / {total} 篇",
    batch_done: "全部分析完成：{n} 篇。", batch_uploading: "正在上传……", col_id: "编号", col_polarity: "整体情感",
    col_intensity: "强度", col_dominant: "主要情绪", col_arc: "弧线", col_pov: "人称", col_length: "长度",
    col_readability: "阅读难度", col_themes: "主题", col_report: "报告", report_btn: "查看报告", row_error: "出错：{m}",
    sort_by: "按“{c}”排序", essay_report: "作文报告：{id}", no_row_report: "服务器没有提供这篇作文的报告。",
    signin_title: "登录", username: "用户名", password: "密码", signin: "登录", register: "注册新账号", signout: "退出登录",
    footer: "叙事工坊在本机运行；本页不加载任何外部资源。", error: "出错了：{m}", offline: "无法连接到叙事工坊服务。",
    // report
    summary: "概览", overall: "整体情感", intensity: "强度", score: "得分", dominant: "主要情绪", share: "占比",
    valence: "效价", arousal: "唤醒", arc: "情感弧线", arc_shape: "弧线形状", confidence: "置信度 {c}",
    arc_help: "横轴是句子顺序，纵轴是效价（1 很不愉快，5 中性，9 很愉快）。圆点是每一句的效价，曲线是平滑后的走势；把鼠标移到圆点上（或用 Tab 键选中）可以看到那一句。",
    arc_aria: "情感弧线：{n} 句，形状为{shape}。", smoothed: "平滑走势", sentence: "句子", sentence_no: "第{n}句",
    emotions: "情绪分布", emotions_help: "八种情绪在整个故事中所占的比例，合计为 100%。",
    va: "效价与唤醒（1–9，5 为中性）", va_help: "横轴为效价（愉快程度），纵轴为唤醒（激动程度），都是 1–9，5 为中性。大圆点是整个故事，小圆点是每一句。",
    va_aria: "效价—唤醒图：整个故事的效价 {v}，唤醒 {a}。", story_point: "整个故事", q_hh: "愉快 · 激动", q_hl: "愉快 · 平静",
    q_lh: "不快 · 激动", q_ll: "不快 · 平静", themes: "主题", themes_help: "故事在讲什么：得分越高，这个主题越明显；下面列出支持它的词。",
    keywords: "关键词", keywords_help: "最能代表这个故事的词，字越大越重要；小字是出现次数。", style: "写作风格",
    style_help: "故事是怎么讲的：每个数字后面是一句话的解释。", elements: "故事要素", characters: "人物", places: "地点",
    times: "时间", objects: "物品", structure: "叙事结构", story: "故事原文",
    story_help: "每句的底色表示效价：越暖越愉快，越冷越不愉快，白色为中性；标记的词是情绪证据，把鼠标移上去可看到对应的情绪。",
    tint_low: "不愉快", tint_high: "愉快", negated: "（被否定）", times_count: "{n} 次", sentences_n: "{n} 句", chars_n: "{n} 字",
    words_n: "{n} 词", lang_name_zh: "中文", lang_name_en: "英文", script_traditional: "繁体", script_simplified: "简体",
    per_sentence: "每句 {n} {unit}", grade: "约相当年级 {g}", unit_characters: "字", unit_words: "词", found_n: "{n} 处",
  },
  en: {
    app_name: "StoryLoom", app_alt: "叙事工坊", jump: "Jump to", skip: "Skip to main content", nav: "Main", nav_studio: "Write & analyse", nav_library: "Library",
    nav_timeline: "Timeline", nav_batch: "Classroom batch", ui_lang: "Interface", ui_auto: "Follow the story",
    input_title: "Your story", input_help: "Write, paste or upload a story in Chinese or English. Everything happens on this computer.",
    story_label: "Story text", story_ph: "Late at night on the street, I met an old woman…", upload_label: "Upload a file (.txt, .md, .docx)",
    story_lang: "Story language", lang_auto: "Detect", lang_zh: "Chinese", lang_en: "English", engine_label: "Engine",
    engine_default: "Default", engine_lexicon: "Lexicon", engine_model: "Model", analyze: "Analyse", example: "Try an example", clear: "Clear",
    analyzing: "Analysing…", analyzed: "Analysed: {n} sentences.", empty_text: "Write or paste a story first.",
    file_loaded: "Read file: {name}", file_bad: "Could not read this file: {msg}", file_type: "Only .txt, .md and .docx files are supported.",
    save_title: "Save to the library", title_label: "Title", tags_label: "Tags (comma-separated)", date_label: "Written on",
    save_story: "Save story", full_report: "Open the full report", hide_report: "Hide the full report", saving: "Saving…",
    saved: "Saved to the library.", updated: "Updated.",
    write_title: "Write a story from it",
    write_help: "Keeps the people, places and events of your story and retells it with another feeling or voice. Several candidates are written, scored by the same analyser, and the one closest to the target is chosen.",
    w_target: "Target emotion", w_target_story: "Keep the story's own feeling", w_feel: "Or: how do you feel? (in your own words)",
    w_feel_ph: "warm, relieved, hopeful…", w_pov: "Point of view", pov_second: "Second person (you)", pov_first: "First person (I)",
    pov_third: "Third person (she/he)", w_style: "Style", style_plain: "Plain", style_lyrical: "Lyrical", style_children: "Children's story",
    style_fable: "Fable", style_letter: "Letter to my past self", w_length: "Length", len_short: "Short (about the original)",
    len_medium: "Medium (about 1.5×)", len_long: "Long (about 2×)", w_backend: "Backend", w_n: "Candidates", w_close: "End with a reflective close",
    write: "Write the story", regenerate: "Regenerate", save_version: "Save this story", writing: "Writing… ({n} candidates)",
    written: "Done: the best of {n} candidates was chosen.", version_saved: "Saved to the library (with the original story).",
    original: "The original", new_story: "The new story", candidates: "Candidates and scores",
    candidates_help: "Lower total is better: emotion distance to the target, valence gap, story elements lost, and drift from the original's content.",
    c_rank: "#", c_total: "Total", c_emotion: "Emotion", c_valence: "Valence", c_elements: "Lost", c_content: "Content",
    c_dominant: "Dominant", c_text: "Text", c_read: "Read", chosen: "chosen", analyses: "Both analyses side by side",
    target_is: "Target: {t}", notes: "Notes", support_title: "We won't rewrite this story right now",
    safety_title: "Thank you for writing this down", safety_concern: "Some of what you wrote makes us a little worried about how you are doing. If things feel heavy, you don't have to carry it alone — talk to someone you trust, or reach out to one of the places below.",
    safety_urgent: "What you wrote makes us worried about your safety. If you are thinking about hurting yourself, please contact a helpline below or your local emergency number now, or ask someone near you to stay with you.",
    safety_evidence: "What we noticed", safety_resources: "Where to find support", safety_none: "Please contact a local helpline or emergency services.",
    search: "Search", tag: "Tag", search_btn: "Find", lib_empty: "The library is empty.", lib_count: "{n} stories",
    open: "Open", delete: "Delete", confirm_delete: "Delete “{t}”? Its analyses and rewritten versions go with it.", deleted: "Deleted.",
    open_in_studio: "Open in the studio", save_tags: "Save tags", versions: "Rewritten versions", no_versions: "No rewritten versions yet.",
    delete_version: "Delete this version", written_on: "written {d}", created: "created {d}", analysis: "Analysis",
    timeline_help: "Each entry by date: up and down is valence (1 very unpleasant, 5 neutral, 9 very pleasant); a dot's colour is the main emotion. Click a dot or an entry below to open it.",
    tl_empty: "Nothing to draw yet. Save a few stories from the studio first.", tl_aria: "Valence timeline: {n} entries from {a} to {b}.", date: "Date",
    batch_help: "Upload a set of essays: CSV (with a text column), JSONL (one {\"id\",\"text\"} per line) or a zip of .txt/.docx files.",
    batch_file: "Essays file", batch_upload: "Upload and analyse", batch_csv: "Download CSV", batch_progress: "Analysed {done} of {total}",
    batch_done: "All analysed: {n} essays.", batch_uploading: "Uploading…", col_id: "ID", col_polarity: "Polarity",
    col_intensity: "Intensity", col_dominant: "Dominant emotion", col_arc: "Arc", col_pov: "POV", col_length: "Length",
    col_readability: "Readability", col_themes: "Themes", col_report: "Report", report_btn: "Report", row_error: "Error: {m}",
    sort_by: "Sort by {c}", essay_report: "Essay report: {id}", no_row_report: "The server sent no report for this essay.",
    signin_title: "Sign in", username: "Username", password: "Password", signin: "Sign in", register: "Create an account", signout: "Sign out",
    footer: "StoryLoom runs on this computer; this page loads nothing from the internet.", error: "Something went wrong: {m}", offline: "Cannot reach the StoryLoom server.",
    summary: "Summary", overall: "Overall feeling", intensity: "intensity", score: "score", dominant: "Main emotion", share: "Share",
    valence: "Valence", arousal: "Arousal", arc: "Emotional arc", arc_shape: "Arc shape", confidence: "confidence {c}",
    arc_help: "Left to right is the order of sentences; up and down is valence (1 very unpleasant, 5 neutral, 9 very pleasant). Dots are sentences, the line is the smoothed trend; hover over a dot (or Tab to it) to read the sentence.",
    arc_aria: "Emotional arc over {n} sentences, shape {shape}.", smoothed: "smoothed trend", sentence: "Sentence", sentence_no: "Sentence {n}",
    emotions: "Emotions", emotions_help: "How much of the story each of the eight emotions takes up; they add up to 100%.",
    va: "Valence and arousal (1–9, 5 is neutral)", va_help: "Across: valence (how pleasant); up: arousal (how intense); both 1–9 with 5 neutral. The big dot is the whole story, small dots are sentences.",
    va_aria: "Valence–arousal plot: the story has valence {v} and arousal {a}.", story_point: "whole story", q_hh: "pleasant · excited",
    q_hl: "pleasant · calm", q_lh: "unpleasant · excited", q_ll: "unpleasant · calm", themes: "Themes",
    themes_help: "What the story is about: the higher the score, the clearer the theme; the words behind it are listed.",
    keywords: "Keywords", keywords_help: "The words that best characterise this story (larger is more important); the count is how often each appears.",
    style: "Style", style_help: "How the story is told: each figure comes with a sentence saying what it means.", elements: "Story elements",
    characters: "Characters", places: "Places", times: "Times", objects: "Objects", structure: "Narrative structure", story: "The story",
    story_help: "Each sentence is tinted by its valence: warmer is more pleasant, cooler less pleasant, white neutral. Marked words are emotion evidence; hover over one to see its emotion.",
    tint_low: "unpleasant", tint_high: "pleasant", negated: " (negated)", times_count: "×{n}", sentences_n: "{n} sentences", chars_n: "{n} characters",
    words_n: "{n} words", lang_name_zh: "Chinese", lang_name_en: "English", script_traditional: "Traditional", script_simplified: "Simplified",
    per_sentence: "{n} {unit} per sentence", grade: "grade {g}", unit_characters: "characters", unit_words: "words", found_n: "{n} found",
  },
};

// Vocabulary tables (the same words as render/common.py).
const EMOTIONS = ["joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral"];
const EMOTION_ZH = { joy: "乐·喜悦", love: "好·喜爱", sadness: "哀·悲伤", anger: "怒·愤怒", fear: "惧·恐惧",
  disgust: "恶·厌恶", surprise: "惊·惊讶", neutral: "中·无明显情绪" };
const EMOTION_COLORS = { joy: "#e0a800", love: "#d9537a", sadness: "#3f73c4", anger: "#cf3f31", fear: "#7d5ba6",
  disgust: "#5f8f2f", surprise: "#e07b16", neutral: "#8a9097" };
const POLARITY_COLORS = { positive: "#c77700", negative: "#2f62b3", neutral: "#5f6670", mixed: "#8a4fa8" };
const POLARITY_ZH = { positive: "积极", negative: "消极", neutral: "中性", mixed: "悲喜交织" };
const THEME_ZH = { family: "家庭", friendship: "友情", love: "爱情", loss: "失去", health: "健康", work: "工作",
  school: "学校", travel: "旅行", home: "家", kindness: "善意", conflict: "冲突", danger: "危险", animals: "动物",
  achievement: "成就", loneliness: "孤独", change: "变化", childhood: "童年", nature: "自然" };
const POV_NAMES = { zh: { first: "第一人称", second: "第二人称", third: "第三人称" },
  en: { first: "first person", second: "second person", third: "third person" } };
const ARC_NAMES = { zh: { rise: "上升", fall: "下降", "fall-rise": "先降后升", "rise-fall": "先升后降",
  "rise-fall-rise": "升—降—升", "fall-rise-fall": "降—升—降", flat: "平稳" } };
const ARC_EXPLAIN = {
  zh: { rise: "（白手起家型）：情绪一路向好，越来越明亮。", fall: "（悲剧型）：情绪一路走低，越来越沉重。",
    "fall-rise": "（掉进坑里的人）：先跌入低谷，再慢慢走出来。", "rise-fall": "（伊卡洛斯型）：先升到高处，最后跌落。",
    "rise-fall-rise": "（灰姑娘型）：先好转，遇到挫折，最后迎来圆满。", "fall-rise-fall": "（俄狄浦斯型）：先跌落，燃起希望，又再次跌落。",
    flat: "：情绪从头到尾没有明显起伏。" },
  en: { rise: " — rags to riches: things get better.", fall: " — tragedy: things get worse.",
    "fall-rise": " — man in a hole: things go wrong, then recover.", "rise-fall": " — Icarus: a rise, then a fall.",
    "rise-fall-rise": " — Cinderella: a rise, a setback, then a happy ending.",
    "fall-rise-fall": " — Oedipus: a fall, a rise of hope, then a deeper fall.", flat: " — steady: the feeling stays about the same." },
};
const STYLE_NAMES = {
  zh: { pov: "人称", sentence_length: "平均句长", sentence_variety: "句长变化", longest_sentence: "最长的句子",
    lexical_diversity: "用词丰富度", ttr: "不重复词比例", readability: "阅读难度", common_characters: "常用字",
    reading_ease: "易读度", word_length: "平均词长", dialogue: "对话", figurative: "比喻", sensory: "感官描写",
    tense: "时态", narrative_arc: "叙事弧（功能词）" },
  en: { pov: "Point of view", sentence_length: "Sentence length", sentence_variety: "Sentence variety",
    longest_sentence: "Longest sentence", lexical_diversity: "Lexical diversity (MTLD)", ttr: "Distinct words",
    readability: "Reading level", common_characters: "Common characters", reading_ease: "Reading ease (Flesch)",
    word_length: "Word length", dialogue: "Dialogue", figurative: "Figurative language", sensory: "Sensory language",
    tense: "Tense", narrative_arc: "Narrative arc (function words)" },
};
const ROLE_NAMES = {
  zh: { abstract: "概要", orientation: "铺垫", complicating_action: "发展", evaluation: "评价", resolution: "结局", coda: "尾声" },
  en: { abstract: "abstract", orientation: "orientation", complicating_action: "complicating action",
    evaluation: "evaluation", resolution: "resolution", coda: "coda" },
};
const ROLE_COLORS = { abstract: "#8e8cd8", orientation: "#6ba3d6", complicating_action: "#e8864a",
  evaluation: "#c264a8", resolution: "#4fae7a", coda: "#9aa0a6" };
const VALENCE_WORDS = { zh: ["很不愉快", "不愉快", "中性", "愉快", "很愉快"],
  en: ["very unpleasant", "unpleasant", "neutral", "pleasant", "very pleasant"] };
const AROUSAL_WORDS = { zh: ["非常平静", "平静", "适中", "激动", "非常激动"],
  en: ["very calm", "calm", "moderate", "excited", "very excited"] };
const ELEMENT_KINDS = ["characters", "places", "times", "objects"];
const WARM = [244, 162, 40], COOL = [70, 130, 220];
const TINT_MAX_ALPHA = 0.38; // keeps dark text above 7:1 contrast on the strongest tint (as render/html.py)

const EXAMPLES = {
  zh: "在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。尽管天气寒冷，但她脸上依然洋溢着慈祥的微笑。我毫不犹豫地买了她的东西，并告诉她是来自远方的游客。",
  en: "On my first day at the new job I was terrified. I didn't know anyone, and the office felt huge and cold. At lunch, Mrs. Chen from accounting sat down next to me and asked about my family. By the end of the week we were laughing together every afternoon.",
};

// -- state -----------------------------------------------------------------------------------------

const state = {
  config: null, csrf: null, uiChoice: "auto", ui: "zh", storyLang: null,
  report: null, reportText: "", storyId: null, story: null, seed: 1,
  batch: null, batchSort: { key: null, dir: 1 }, libDetail: null, fullOpen: false,
};

// -- small helpers ---------------------------------------------------------------------------------

const $ = (sel, root = document) => root.querySelector(sel);
const SVGNS = "http://www.w3.org/2000/svg";

function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    el.appendChild(typeof k === "object" ? k : document.createTextNode(String(k)));
  }
  return el;
}
/** An HTML element; attributes are set with setAttribute (never parsed as HTML). */
function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  return append(el, kids);
}
/** An SVG element. */
function s(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  return append(el, kids);
}

const S2T_MAP = new Map();
function hant(text) {
  if (!S2T_MAP.size) for (let i = 0; i + 1 < S2T.length; i += 2) S2T_MAP.set(S2T[i], S2T[i + 1]);
  let out = "";
  for (const ch of text) out += S2T_MAP.get(ch) || ch;
  return out;
}
const zhUI = () => state.ui.startsWith("zh");
const base = () => (zhUI() ? "zh" : "en");
function loc(text) { return state.ui === "zh-Hant" ? hant(text) : text; }
/** One interface string in the current language, with {name} fields filled in. */
function t(key, fmt) {
  let text = DICT[base()][key] ?? DICT.en[key] ?? key;
  text = loc(text);
  if (fmt) text = text.replace(/\{(\w+)\}/g, (m, k) => (k in fmt ? String(fmt[k]) : m));
  return text;
}
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const fmt1 = (v) => (num(v) === null ? "—" : v.toFixed(1));
const fmt2 = (v) => (num(v) === null ? "—" : v.toFixed(2));
const pct = (p) => (p > 0 && p < 0.005 ? "<1%" : `${Math.round(Math.min(Math.max(p || 0, 0), 1) * 100)}%`);
const signed = (v) => (v >= 0 ? "+" : "−") + Math.abs(v).toFixed(2);
const colon = () => (zhUI() ? "：" : ": ");
const key = (v) => String(v ?? "").trim().toLowerCase().replace(/[\s-]+/g, "_");
const emotionName = (e) => (zhUI() && EMOTION_ZH[e] ? loc(EMOTION_ZH[e]) : e);
const polarityName = (p) => (zhUI() && POLARITY_ZH[p] ? loc(POLARITY_ZH[p]) : p);
const themeName = (n) => (zhUI() && THEME_ZH[key(n)] ? loc(THEME_ZH[key(n)]) : n);
const povName = (p) => loc(POV_NAMES[base()][p] || p || "—");
const arcName = (a) => (zhUI() ? loc(ARC_NAMES.zh[a] || a) : a);
const arcExplain = (a) => loc(ARC_EXPLAIN[base()][a] || "");
const styleName = (k) => loc(STYLE_NAMES[base()][k] || k.replace(/_/g, " "));
const roleName = (r) => loc(ROLE_NAMES[base()][r] || r.replace(/_/g, " "));
function band(v) {
  const d = Math.round(v * 10) / 10 - 5;
  if (Math.abs(d) < 0.5) return 2;
  if (d > 0) return d >= 2 ? 4 : 3;
  return -d >= 2 ? 0 : 1;
}
const valenceWord = (v) => loc(VALENCE_WORDS[base()][band(v)]);
const arousalWord = (v) => loc(AROUSAL_WORDS[base()][band(v)]);
const emotionColor = (e) => EMOTION_COLORS[e] || "#8a9097";
function valenceTint(v) {
  if (num(v) === null) return "transparent";
  const d = (Math.min(Math.max(v, 1), 9) - 5) / 4;
  if (Math.abs(d) < 0.03) return "transparent";
  const [r, g, b] = d > 0 ? WARM : COOL;
  return `rgba(${r},${g},${b},${(Math.abs(d) * TINT_MAX_ALPHA).toFixed(2)})`;
}
const f1 = (x) => x.toFixed(1);

function setStatus(el, text, kind = "") {
  if (typeof el === "string") el = $(el);
  el.textContent = text || "";
  el.className = "status" + (kind ? " " + kind : "");
}
function busy(button, on) {
  button.disabled = on;
  button.classList.toggle("busy", on);
  if (on) button.setAttribute("aria-busy", "true"); else button.removeAttribute("aria-busy");
}

/** Detect the interface language of a text: zh, zh-Hant or en (or null when there is no text). */
const HANT_ONLY = "這個們說時會對發來為學國經還後過點裡麼沒讓見給長開問當東車軍實現電話書買賣語氣樂愛聽記媽飯頭麗";
const HANS_ONLY = "这个们说时会对发来为学国经还后过点里么没让见给长开问当东车军实现电话书买卖语气乐爱听记妈饭头丽";
function detectLang(text) {
  const cjk = (text.match(/[\u3400-\u9fff]/g) || []).length;
  const latin = (text.match(/[A-Za-z]+/g) || []).length;
  if (!cjk && !latin) return null;
  if (cjk < latin) return "en";
  let tr = 0, sm = 0;
  for (const ch of text) { if (HANT_ONLY.includes(ch)) tr++; else if (HANS_ONLY.includes(ch)) sm++; }
  return tr > sm ? "zh-Hant" : "zh";
}
function reportUi(report) {
  if (!report || report.language !== "zh") return "en";
  return report.script === "traditional" ? "zh-Hant" : "zh";
}

// -- the API ---------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}
/** fetch() on this server only, JSON in and out; a JSON error becomes an ApiError with its message. */
async function api(path, { method = "GET", body, form, accept } = {}) {
  const headers = {};
  let payload;
  if (form) payload = form;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  if (accept) headers.Accept = accept;
  if (state.csrf && method !== "GET") headers["X-CSRF-Token"] = state.csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  } catch (e) {
    throw new ApiError(0, "offline", t("offline"));
  }
  if (res.status === 204) return null;
  const type = res.headers.get("content-type") || "";
  if (!res.ok) {
    let message = `HTTP ${res.status}`, code = String(res.status);
    if (type.includes("json")) {
      const data = await res.json().catch(() => null);
      const err = data && (data.error || data.detail);
      if (err && typeof err === "object" && !Array.isArray(err)) { message = err.message || message; code = err.code || code; }
      else if (typeof err === "string") message = err;
      else if (Array.isArray(err) && err[0] && err[0].msg) message = err.map((x) => x.msg).join("; ");
    }
    if (res.status === 401 && state.config && state.config.mode === "accounts") showSignin();
    throw new ApiError(res.status, code, message);
  }
  if (type.includes("json")) return res.json();
  return res.text();
}

// -- the report (the same views as the offline HTML report) ---------------------------------------

function card(id, title, help, ...inner) {
  return h("section", { class: "card", id, "aria-labelledby": `h-${id}` },
    h("h2", { id: `h-${id}` }, title), help ? h("p", { class: "help" }, help) : null, ...inner);
}
function meter(frac, color, name, shown) {
  return h("div", { class: "track", role: "img", "aria-label": `${name}${colon()}${shown}` },
    h("span", { class: "fill", style: { width: `${(Math.min(Math.max(frac, 0), 1) * 100).toFixed(1)}%`, background: color } }));
}
function sentenceTip(d, i, v, a) {
  const sent = (d.sentences || [])[i] || {};
  const head = [t("sentence_no", { n: i + 1 })];
  if (num(v) !== null) head.push(`${t("valence")} ${fmt1(v)}`);
  if (num(a) !== null) head.push(`${t("arousal")} ${fmt1(a)}`);
  if (sent.emotion) head.push(emotionName(sent.emotion));
  return head.join(" · ") + (sent.text ? "\n" + sent.text : "");
}

function summaryCard(d, p) {
  const cards = [];
  const sent = d.sentiment || {};
  if (sent.polarity) {
    const color = POLARITY_COLORS[sent.polarity] || "#5f6670";
    cards.push(h("div", { class: "stat", id: `${p}polarity` },
      h("div", { class: "stat-k" }, t("overall")),
      h("div", { class: "stat-v", style: { color } }, polarityName(sent.polarity)),
      h("div", { class: "stat-d" }, `${t("intensity")} ${fmt2(sent.intensity)}`),
      meter(sent.intensity || 0, color, t("intensity"), fmt2(sent.intensity)),
      num(sent.score) !== null ? h("div", { class: "stat-d" }, `${t("score")} ${signed(sent.score)} (−1…+1)`) : null));
  }
  const dom = d.dominant_emotion;
  if (dom) {
    const share = (d.emotions || {})[dom];
    cards.push(h("div", { class: "stat", id: `${p}dominant` }, h("div", { class: "stat-k" }, t("dominant")),
      h("div", { class: "stat-v" }, h("span", { class: "dot", style: { background: emotionColor(dom) } }), emotionName(dom)),
      num(share) !== null ? h("div", { class: "stat-d" }, `${t("share")} ${pct(share)}`) : null));
  }
  if (num(d.valence) !== null && num(d.arousal) !== null) {
    cards.push(h("div", { class: "stat" }, h("div", { class: "stat-k" }, `${t("valence")} / ${t("arousal")}`),
      h("div", { class: "stat-v" }, `${fmt1(d.valence)} / ${fmt1(d.arousal)}`),
      h("div", { class: "stat-d" }, `${valenceWord(d.valence)} · ${arousalWord(d.arousal)}`)));
  }
  const shape = (d.arc || {}).shape;
  if (shape) {
    cards.push(h("div", { class: "stat" }, h("div", { class: "stat-k" }, t("arc_shape")),
      h("div", { class: "stat-v" }, arcName(shape)),
      h("div", { class: "stat-d" }, arcExplain(shape).replace(/^[\s—：:]+/, ""))));
  }
  const facts = [];
  if (d.language) {
    let lang = t(`lang_name_${d.language}`);
    if (d.language === "zh" && d.script) lang += zhUI() ? `（${t("script_" + d.script)}）` : ` (${t("script_" + d.script)})`;
    facts.push(lang);
  }
  const st = d.stats || {};
  if (st.sentences !== undefined) facts.push(t("sentences_n", { n: st.sentences }));
  if (d.language === "en" && st.words !== undefined) facts.push(t("words_n", { n: st.words }));
  else if (st.characters !== undefined) facts.push(t("chars_n", { n: st.characters }));
  return card(`${p}summary`, t("summary"), null, h("p", { class: "muted" }, facts.join(" · ")), h("div", { class: "stats" }, cards));
}

function arcCard(d, p, { compact = false } = {}) {
  const sents = d.sentences || [];
  const arc = d.arc || {};
  const n = sents.length;
  let raw = (arc.raw || []).map(num);
  if (raw.length !== n) raw = sents.map((x) => num(x.valence));
  const smooth = (arc.values || []).map(num).filter((v) => v !== null);
  if (!n && !smooth.length) return null;
  const W = 720, H = 300, left = 48, right = 16, top = 14, bottom = 54, pw = W - left - right, ph = H - top - bottom, inset = 14;
  const xAt = (i, c) => (c <= 1 ? left + pw / 2 : left + inset + ((pw - 2 * inset) * i) / (c - 1));
  const yAt = (v) => top + (ph * (9 - Math.min(Math.max(v, 1), 9))) / 8;
  const shape = arc.shape;
  const svg = s("svg", { class: "chart arc", viewBox: `0 0 ${W} ${H}`, role: "group", "aria-labelledby": `${p}arc-title ${p}arc-desc`,
    preserveAspectRatio: "xMidYMid meet" },
  s("title", { id: `${p}arc-title` }, t("arc")),
  s("desc", { id: `${p}arc-desc` }, t("arc_aria", { n, shape: shape ? arcName(shape) : "—" })),
  s("rect", { x: left, y: top, width: pw, height: ph / 2, fill: "rgba(244,162,40,0.07)" }),
  s("rect", { x: left, y: top + ph / 2, width: pw, height: ph / 2, fill: "rgba(70,130,220,0.07)" }));
  for (const g of [1, 3, 5, 7, 9]) {
    svg.append(s("line", { class: g === 5 ? "grid mid" : "grid", x1: left, x2: W - right, y1: f1(yAt(g)), y2: f1(yAt(g)) }),
      s("text", { class: "tick", x: left - 8, y: f1(yAt(g) + 4), "text-anchor": "end" }, g));
  }
  const step = Math.max(1, Math.ceil(n / 16));
  for (let i = 0; i < n; i += step) svg.append(s("text", { class: "tick", x: f1(xAt(i, n)), y: H - bottom + 22, "text-anchor": "middle" }, i + 1));
  svg.append(s("text", { class: "axis", x: left + pw / 2, y: H - 6, "text-anchor": "middle" }, t("sentence")),
    s("text", { class: "axis y-axis", x: 14, y: top + ph / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${top + ph / 2})` }, t("valence")));
  if (smooth.length) {
    let coords = smooth.map((v, i) => [xAt(i, smooth.length), yAt(v)]);
    if (coords.length === 1) coords = [[left, coords[0][1]], [W - right, coords[0][1]]];
    const path = "M" + coords.map(([x, y]) => `${f1(x)},${f1(y)}`).join(" L");
    const area = `${path} L${f1(coords[coords.length - 1][0])},${f1(yAt(5))} L${f1(coords[0][0])},${f1(yAt(5))} Z`;
    svg.append(s("path", { class: "area", d: area }), s("path", { class: "line", d: path }, s("title", {}, t("smoothed"))));
  }
  const radius = n <= 40 ? 6 : n <= 100 ? 4.5 : 3;
  const g = s("g", { class: "points" });
  raw.forEach((v, i) => {
    if (v === null) return;
    const emo = (sents[i] || {}).emotion;
    const tip = sentenceTip(d, i, v);
    g.append(s("circle", { class: "pt", "data-i": i, "data-ref": `${p}s${i + 1}`, tabindex: compact ? -1 : 0, role: "img",
      "aria-label": tip, cx: f1(xAt(i, n)), cy: f1(yAt(v)), r: radius, fill: emotionColor(emo) }, s("title", {}, tip)));
  });
  svg.append(g);
  const seen = [];
  for (const x of sents) if (x.emotion && !seen.includes(x.emotion)) seen.push(x.emotion);
  const legend = h("ul", { class: "legend" }, h("li", {}, h("span", { class: "swatch line-swatch" }), t("smoothed")),
    seen.map((e) => h("li", {}, h("span", { class: "dot", style: { background: emotionColor(e) } }), emotionName(e))));
  let caption = null;
  if (shape) {
    let text = arcExplain(shape);
    if (num(arc.confidence)) text += zhUI() ? `（${t("confidence", { c: fmt2(arc.confidence) })}）` : ` (${t("confidence", { c: fmt2(arc.confidence) })})`;
    caption = h("p", { class: "caption" }, h("strong", {}, arcName(shape)), text);
  }
  return card(`${p}arc`, t("arc"), compact ? null : t("arc_help"), caption, h("figure", { class: "fig", id: `${p}arc-chart` }, svg, legend));
}

function emotionsCard(d, p) {
  const dist = d.emotions || {};
  if (!Object.keys(dist).length) return null;
  const names = [...EMOTIONS, ...Object.keys(dist).filter((k) => !EMOTIONS.includes(k)).sort()];
  const items = names.map((n, i) => [n, num(dist[n]) || 0, i]).sort((a, b) => b[1] - a[1] || a[2] - b[2]);
  const rows = items.map(([n, v]) => h("li", { class: "bar-row" + (n === d.dominant_emotion ? " dominant" : ""), "data-emotion": n },
    h("span", { class: "bar-name" }, h("span", { class: "dot", style: { background: emotionColor(n) } }), emotionName(n)),
    meter(v, emotionColor(n), emotionName(n), pct(v)), h("span", { class: "bar-val" }, pct(v))));
  return card(`${p}emotions`, t("emotions"), t("emotions_help"), h("ul", { class: "bars" }, rows));
}

function vaCard(d, p) {
  const v = num(d.valence), a = num(d.arousal);
  if (v === null || a === null) return null;
  const S = 320, pad = 40, inner = S - pad - 12;
  const px = (x) => pad + (inner * (Math.min(Math.max(x, 1), 9) - 1)) / 8;
  const py = (y) => 12 + (inner * (9 - Math.min(Math.max(y, 1), 9))) / 8;
  const svg = s("svg", { class: "chart va", viewBox: `0 0 ${S} ${S}`, role: "group", "aria-labelledby": `${p}va-title ${p}va-desc` },
    s("title", { id: `${p}va-title` }, t("va")), s("desc", { id: `${p}va-desc` }, t("va_aria", { v: fmt1(v), a: fmt1(a) })),
    s("rect", { x: pad, y: 12, width: inner, height: inner, class: "plot-bg" }),
    s("rect", { x: px(5), y: 12, width: inner / 2, height: inner, fill: "rgba(244,162,40,0.08)" }),
    s("rect", { x: pad, y: 12, width: inner / 2, height: inner, fill: "rgba(70,130,220,0.08)" }),
    s("line", { class: "grid mid", x1: px(5), x2: px(5), y1: 12, y2: 12 + inner }),
    s("line", { class: "grid mid", x1: pad, x2: pad + inner, y1: py(5), y2: py(5) }));
  for (const [k, x, y, anchor] of [["q_lh", pad + 6, 26, "start"], ["q_hh", pad + inner - 6, 26, "end"],
    ["q_ll", pad + 6, 12 + inner - 8, "start"], ["q_hl", pad + inner - 6, 12 + inner - 8, "end"]]) {
    svg.append(s("text", { class: "quad", x, y, "text-anchor": anchor }, t(k)));
  }
  for (const g of [1, 5, 9]) {
    svg.append(s("text", { class: "tick", x: px(g), y: 12 + inner + 16, "text-anchor": "middle" }, g),
      s("text", { class: "tick", x: pad - 6, y: py(g) + 4, "text-anchor": "end" }, g));
  }
  svg.append(s("text", { class: "axis", x: pad + inner / 2, y: S - 4, "text-anchor": "middle" }, t("valence")),
    s("text", { class: "axis", x: 12, y: 12 + inner / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${12 + inner / 2})` }, t("arousal")));
  const storyTip = `${t("story_point")} · ${t("valence")} ${fmt1(v)} · ${t("arousal")} ${fmt1(a)}`;
  svg.append(s("circle", { class: "story-pt", role: "img", "aria-label": storyTip, cx: f1(px(v)), cy: f1(py(a)), r: 9 }, s("title", {}, storyTip)),
    s("text", { class: "story-label", x: f1(px(v) + (v < 7 ? 10 : -10)), y: f1(py(a) - 12), "text-anchor": v < 7 ? "start" : "end" }, t("story_point")));
  const g = s("g", { class: "points" });
  (d.sentences || []).forEach((x, i) => {
    if (num(x.valence) === null || num(x.arousal) === null) return;
    const tip = sentenceTip(d, i, x.valence, x.arousal);
    g.append(s("circle", { class: "pt va-pt", "data-i": i, "data-ref": `${p}s${i + 1}`, tabindex: 0, role: "img", "aria-label": tip,
      cx: f1(px(x.valence)), cy: f1(py(x.arousal)), r: 4.5, fill: emotionColor(x.emotion) }, s("title", {}, tip)));
  });
  svg.append(g);
  const values = h("dl", { class: "va-values" }, h("dt", {}, t("valence")), h("dd", {}, h("strong", {}, fmt1(v)), " ", valenceWord(v)),
    h("dt", {}, t("arousal")), h("dd", {}, h("strong", {}, fmt1(a)), " ", arousalWord(a)));
  return card(`${p}va`, t("va"), t("va_help"), h("div", { class: "va-wrap" }, h("figure", { class: "fig va-fig" }, svg), values));
}

function themesCard(d, p) {
  const themes = (d.themes || []).filter((x) => x && x.name);
  if (!themes.length) return null;
  const topScore = Math.max(...themes.map((x) => num(x.score) || 0)) || 1;
  const items = themes.map((th) => {
    const score = num(th.score) || 0;
    const words = [];
    for (const ev of th.evidence || []) {
      const text = typeof ev === "string" ? ev : ev && ev.text;
      if (text && !words.includes(text) && (!ev.kind || ev.kind === "word")) words.push(text);
    }
    let label = th.label && typeof th.label === "object" ? th.label[base()] : th.label;
    const name = label ? loc(label) : themeName(th.name);
    return h("li", { class: "theme", "data-theme": th.name },
      h("div", { class: "theme-head" }, h("span", { class: "theme-name" }, name),
        meter(topScore > 1 ? score / topScore : score, "#4f7fbf", name, fmt2(score)), h("span", { class: "bar-val" }, fmt2(score))),
      words.length ? h("ul", { class: "chips small" }, words.slice(0, 12).map((w) => h("li", { class: "chip" }, w))) : null);
  });
  return card(`${p}themes`, t("themes"), t("themes_help"), h("ol", { class: "themes" }, items));
}

function keywordsCard(d, p) {
  const kws = (d.keywords || []).map((k) => (Array.isArray(k) ? { term: k[0], weight: k[1] } : k)).filter((k) => k && k.term);
  if (!kws.length) return null;
  const top = Math.max(...kws.map((k) => num(k.weight) || 0)) || 1;
  const chips = kws.slice(0, 30).map((k) => h("li", { class: "chip", style: { fontSize: `${(0.85 + 0.45 * ((num(k.weight) || 0) / top)).toFixed(2)}rem` } },
    k.term, k.count > 1 ? h("span", { class: "count" }, `×${k.count}`) : null));
  return card(`${p}keywords`, t("keywords"), t("keywords_help"), h("ul", { class: "chips", id: `${p}keyword-list` }, chips));
}

function styleFigure(st, k) {
  const unit = (u) => t(`unit_${u || "characters"}`);
  const r = st.rhythm || {}, rd = st.readability || {}, dl = st.dialogue || {}, lx = st.lexical_diversity || {};
  switch (k) {
    case "pov": return st.pov ? povName(st.pov) : null;
    case "sentence_length": return num(r.mean) !== null ? t("per_sentence", { n: fmt1(r.mean), unit: unit(r.unit) }) : null;
    case "readability": return num(rd.grade) !== null ? t("grade", { g: fmt1(rd.grade) }) : null;
    case "lexical_diversity": return num(lx.mtld) !== null ? `MTLD ${fmt1(lx.mtld)}` : null;
    case "ttr": return num(lx.ttr) !== null ? fmt2(lx.ttr) : null;
    case "dialogue": return num(dl.share) !== null ? pct(dl.share) : null;
    case "common_characters": return num(rd.common_char_share) !== null ? pct(rd.common_char_share) : null;
    case "figurative": return st.figurative && Number.isInteger(st.figurative.count) ? t("found_n", { n: st.figurative.count }) : null;
    case "sensory": return st.sensory && Number.isInteger(st.sensory.total) ? t("found_n", { n: st.sensory.total }) : null;
    default: return null;
  }
}
function styleCard(d, p) {
  const st = d.style;
  if (!st || typeof st !== "object") return null;
  const notes = st.notes || {};
  const keys = Object.keys(notes);
  if (st.pov && !keys.includes("pov")) keys.unshift("pov");
  if (!keys.length) return null;
  const rows = keys.map((k) => {
    const fig = styleFigure(st, k);
    return h("div", { class: "fig-row", "data-key": k }, h("dt", {}, styleName(k)),
      h("dd", {}, fig ? h("div", { class: "fig-v" }, h("strong", {}, fig)) : null, notes[k] ? h("p", { class: "note" }, notes[k]) : null));
  });
  return card(`${p}style`, t("style"), t("style_help"), h("dl", { class: "figures" }, rows));
}

function elementsCard(d, p) {
  const el = d.elements || {};
  const groups = [];
  for (const kind of ELEMENT_KINDS) {
    const seen = new Set();
    const chips = [];
    for (const m of el[kind] || []) {
      const text = typeof m === "string" ? m : m && (m.text || m.name || m.term);
      if (!text || seen.has(text)) continue;
      seen.add(text);
      const tipBits = [];
      if (m.sentences && m.sentences.length) tipBits.push(m.sentences.slice(0, 12).map((i) => t("sentence_no", { n: i + 1 })).join(zhUI() ? "、" : ", "));
      chips.push(h("li", { class: `chip el-${kind}`, title: tipBits.join(" · ") || null }, text,
        m.count > 1 ? h("span", { class: "count" }, t("times_count", { n: m.count })) : null));
    }
    if (chips.length) groups.push(h("div", { class: "el-group", "data-kind": kind }, h("h3", {}, t(kind)), h("ul", { class: "chips", id: `${p}${kind}` }, chips)));
  }
  // Labov structure: one coloured strip, a segment per sentence
  const labels = ((el.structure || {}).labels || []);
  let strip = null;
  if (labels.length) {
    const segs = labels.filter((x) => x && Number.isInteger(x.sentence)).map((x) => {
      const role = key(x.role || x.label);
      const sent = (d.sentences || [])[x.sentence] || {};
      return h("li", { class: "seg", style: { flexGrow: Math.max((sent.text || "").length, 1), background: ROLE_COLORS[role] || "#d0d4d9" },
        title: `${t("sentence_no", { n: x.sentence + 1 })} · ${roleName(role)}\n${sent.text || ""}` }, h("span", {}, x.sentence + 1));
    });
    const roles = [...new Set(labels.map((x) => key(x.role || x.label)))];
    strip = h("div", {}, h("h3", {}, t("structure")), h("ol", { class: "strip", "aria-label": t("structure") }, segs),
      h("ul", { class: "legend" }, roles.map((r) => h("li", {}, h("span", { class: "swatch", style: { background: ROLE_COLORS[r] || "#d0d4d9", height: ".7em" } }), roleName(r)))));
  }
  if (!groups.length && !strip) return null;
  return card(`${p}elements`, t("elements"), null, groups.length ? h("div", { class: "el-grid" }, groups) : null, strip);
}

function evidenceMarks(d, i, text, start) {
  const found = [];
  for (const [emo, evs] of Object.entries(d.evidence || {})) {
    for (const ev of evs || []) {
      if (!ev || ev.sentence !== i || !ev.text) continue;
      let a = (ev.start ?? -1) - start, b = (ev.end ?? -1) - start;
      if (!(a >= 0 && a < b && b <= text.length && text.slice(a, b) === ev.text)) {
        a = text.indexOf(ev.text);
        if (a < 0) continue;
        b = a + ev.text.length;
      }
      found.push([Math.abs(ev.weight || 0), a, b, emo, !!ev.negated]);
    }
  }
  found.sort((x, y) => y[0] - x[0] || x[1] - y[1] || (x[3] < y[3] ? -1 : 1));
  const chosen = [];
  for (const [, a, b, emo, neg] of found) {
    const same = chosen.find((m) => m[0] === a && m[1] === b);
    if (same) { if (!same[2].includes(emo)) same[2].push(emo); }
    else if (chosen.every(([ca, cb]) => b <= ca || a >= cb)) chosen.push([a, b, [emo], neg]);
  }
  return chosen.sort((x, y) => x[0] - y[0]);
}
function sentenceEl(d, i, p) {
  const sent = d.sentences[i];
  const text = sent.text || "";
  const span = h("span", { class: "s", id: `${p}s${i + 1}`, "data-i": i, style: { backgroundColor: valenceTint(sent.valence) },
    title: sentenceTip(d, i, sent.valence).split("\n")[0] });
  if (sent.language && sent.language !== d.language) span.setAttribute("lang", sent.language);
  let pos = 0;
  for (const [a, b, emos, neg] of evidenceMarks(d, i, text, sent.start || 0)) {
    span.append(text.slice(pos, a));
    span.append(h("mark", { class: `ev e-${key(emos[0])}` + (neg ? " neg" : ""), title: emos.map(emotionName).join(" / ") + (neg ? t("negated") : "") }, text.slice(a, b)));
    pos = b;
  }
  span.append(text.slice(pos));
  return span;
}
function storyCard(d, p, { title } = {}) {
  const text = d.text || "";
  const sents = d.sentences || [];
  const box = h("div", { class: "story-text", id: `${p}story-text`, lang: d.language === "zh" ? (d.script === "traditional" ? "zh-Hant" : "zh-Hans") : "en" });
  const consistent = sents.every((x) => Number.isInteger(x.start) && Number.isInteger(x.end) && text.slice(x.start, x.end) === (x.text || ""))
    && sents.every((x, k) => k === 0 || sents[k - 1].end <= x.start);
  if (consistent) {
    let pos = 0;
    sents.forEach((x, i) => { box.append(text.slice(pos, x.start), sentenceEl(d, i, p)); pos = x.end; });
    box.append(text.slice(pos));
  } else {
    sents.forEach((x, i) => {
      if (i && x.paragraph !== sents[i - 1].paragraph) box.append("\n\n");
      else if (i && d.language !== "zh") box.append(" ");
      box.append(sentenceEl(d, i, p));
    });
    if (!sents.length) box.append(text);
  }
  const legend = h("div", { class: "tint-legend", "aria-hidden": "true" }, h("span", {}, t("tint_low")), h("span", { class: "tint-bar" }), h("span", {}, t("tint_high")));
  return card(`${p}story`, title || t("story"), t("story_help"), legend, box);
}

/** The whole report (or, compact, the summary, arc and emotions) as a fragment; ids are prefixed with p. */
function renderReport(d, p = "r-", { compact = false, title } = {}) {
  const frag = document.createDocumentFragment();
  const parts = compact
    ? [summaryCard(d, p), arcCard(d, p, { compact: true }), emotionsCard(d, p)]
    : [summaryCard(d, p), arcCard(d, p), emotionsCard(d, p), vaCard(d, p), themesCard(d, p), keywordsCard(d, p),
      styleCard(d, p), elementsCard(d, p), storyCard(d, p, { title })];
  for (const part of parts) if (part) frag.append(part);
  return frag;
}

// Tooltips for chart points (hover and keyboard focus), as in the HTML report; the <title> stays in the
// SVG for assistive technology and is only lifted out while our own tooltip shows it (no double tooltip).
function initTooltips() {
  const tip = $("#tip");
  let current = null;
  function show(el, x, y) {
    const title = el.querySelector("title");
    const text = title ? title.textContent : el.dataset.tip || "";
    if (title) { el.dataset.tip = text; title.remove(); }
    tip.textContent = "";
    const nl = text.indexOf("\n");
    tip.append(h("b", {}, nl < 0 ? text : text.slice(0, nl)), nl < 0 ? "" : text.slice(nl + 1));
    tip.hidden = false;
    const w = tip.offsetWidth, ht = tip.offsetHeight, vw = window.innerWidth, vh = window.innerHeight;
    let top = y + 16;
    if (top + ht > vh - 8) top = Math.max(8, y - ht - 12);
    tip.style.left = `${Math.min(Math.max(8, x + 14), vw - w - 8)}px`;
    tip.style.top = `${top}px`;
    el.classList.add("on");
    const sent = el.dataset.ref && document.getElementById(el.dataset.ref);
    if (sent) sent.classList.add("hl");
    current = el;
  }
  function hide(el) {
    tip.hidden = true;
    el.classList.remove("on");
    if (el.dataset.tip && !el.querySelector("title")) el.append(s("title", {}, el.dataset.tip));
    const sent = el.dataset.ref && document.getElementById(el.dataset.ref);
    if (sent) sent.classList.remove("hl");
    current = null;
  }
  const pt = (e) => (e.target instanceof Element ? e.target.closest(".chart .pt") : null);
  document.addEventListener("mouseover", (e) => { const el = pt(e); if (el && el !== current) { if (current) hide(current); show(el, e.clientX, e.clientY); } });
  document.addEventListener("mouseout", (e) => { const el = pt(e); if (el && el === current && !el.contains(e.relatedTarget)) hide(el); });
  document.addEventListener("focusin", (e) => { const el = pt(e); if (el) { const r = el.getBoundingClientRect(); show(el, r.right, r.bottom); } });
  document.addEventListener("focusout", (e) => { const el = pt(e); if (el && el === current) hide(el); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && current) hide(current); });
}

// -- interface language ----------------------------------------------------------------------------

function applyLanguage() {
  const choice = state.uiChoice;
  const browserZh = (navigator.language || "").toLowerCase().startsWith("zh");
  state.ui = choice !== "auto" ? choice : state.storyLang || (browserZh ? "zh" : "en");
  document.documentElement.lang = state.ui === "zh" ? "zh-Hans" : state.ui;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-ph]")) el.setAttribute("placeholder", t(el.dataset.i18nPh));
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.setAttribute("title", t(el.dataset.i18nTitle));
  document.title = `${t("app_name")} · StoryLoom`;
  fillTargetOptions();
  // re-draw what is on screen in the new language
  if (state.report) showReport(state.report, { keepStatus: true });
  if (state.story) showStory(state.story);
  if (state.libDetail) showLibraryDetail(state.libDetail.story, state.libDetail.versions);
  if (state.batch) renderBatchTable();
  if (state.fullOpen) $("#full-report-btn").textContent = t("hide_report");
}
function followStory(lang) {
  state.storyLang = lang;
  if (state.uiChoice === "auto") applyLanguage();
}
function fillTargetOptions() {
  const sel = $("#w-target");
  const keep = sel.value;
  sel.textContent = "";
  sel.append(h("option", { value: "" }, t("w_target_story")));
  for (const e of EMOTIONS.filter((x) => x !== "neutral")) sel.append(h("option", { value: e }, emotionName(e)));
  sel.value = keep;
}

// -- studio: read, analyse, save -------------------------------------------------------------------

/** The files of a zip archive: [{name, read()}], read() inflating with the browser's DecompressionStream. */
function zipEntries(buffer) {
  const view = new DataView(buffer);
  let eocd = -1;
  for (let i = buffer.byteLength - 22; i >= Math.max(0, buffer.byteLength - 65557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error("not a zip file");
  const count = view.getUint16(eocd + 10, true);
  let off = view.getUint32(eocd + 16, true);
  const dec = new TextDecoder();
  const out = [];
  for (let k = 0; k < count; k++) {
    if (view.getUint32(off, true) !== 0x02014b50) break;
    const method = view.getUint16(off + 10, true), csize = view.getUint32(off + 20, true);
    const nlen = view.getUint16(off + 28, true), elen = view.getUint16(off + 30, true), clen = view.getUint16(off + 32, true);
    const local = view.getUint32(off + 42, true);
    const name = dec.decode(new Uint8Array(buffer, off + 46, nlen));
    off += 46 + nlen + elen + clen;
    out.push({ name, read: async () => {
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = new Uint8Array(buffer, start, csize);
      if (method === 0) return data;
      if (method !== 8) throw new Error(`compression ${method}`);
      const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    } });
  }
  return out;
}
/** Text of a .docx (word/document.xml in a zip), read in the browser. */
async function readDocx(buffer) {
  const entry = zipEntries(buffer).find((e) => e.name === "word/document.xml");
  if (!entry) throw new Error("no word/document.xml");
  const xml = new DOMParser().parseFromString(new TextDecoder().decode(await entry.read()), "application/xml");
  const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  const paras = [];
  for (const para of xml.getElementsByTagNameNS(W, "p")) {
    let line = "";
    for (const node of para.getElementsByTagNameNS(W, "*")) {
      if (node.localName === "t") line += node.textContent;
      else if (node.localName === "tab") line += "\t";
      else if (node.localName === "br" || node.localName === "cr") line += "\n";
    }
    paras.push(line);
  }
  return paras.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
/** CSV rows (RFC 4180 quoting) as arrays of fields. */
function parseCsv(text, delim = ",") {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false; } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) { row.push(field); field = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
/** id → text of each essay in a batch upload, read the way the server reads it (server/batch.py), so a
 * row's own report can be drawn: the batch rows carry figures only, not the essays. */
async function essayTexts(file) {
  const name = file.name.toLowerCase();
  const map = new Map();
  if (name.endsWith(".zip")) {
    for (const e of zipEntries(await file.arrayBuffer())) {
      const lower = e.name.toLowerCase();
      if (e.name.startsWith("__MACOSX/") || e.name.split("/").pop().startsWith(".")) continue;
      if (lower.endsWith(".docx")) map.set(e.name, await readDocx((await e.read()).slice().buffer));
      else if (lower.endsWith(".txt") || lower.endsWith(".md")) map.set(e.name, new TextDecoder().decode(await e.read()).replace(/^\uFEFF/, ""));
    }
  } else if (/\.(jsonl|ndjson|json)$/.test(name)) {
    (await file.text()).split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try { const o = JSON.parse(line); if (o && typeof o.text === "string") map.set(String(o.id ?? i + 1), o.text); } catch { /* the server reports it */ }
    });
  } else if (/\.(csv|tsv)$/.test(name)) {
    const rows = parseCsv((await file.text()).replace(/^\uFEFF/, ""), name.endsWith(".tsv") ? "\t" : ",");
    const header = (rows.shift() || []).map((x) => x.trim().toLowerCase());
    const ti = ["text", "story", "content", "正文", "文本"].map((c) => header.indexOf(c)).find((i) => i >= 0);
    const ii = ["id", "name", "title"].map((c) => header.indexOf(c)).find((i) => i >= 0);
    if (ti !== undefined) rows.filter((r) => r.length > 1 || (r[0] || "").trim()).forEach((r, n) => {
      const ident = ii !== undefined ? (r[ii] || "").trim() : "";
      map.set(ident || String(n + 1), r[ti] || "");
    });
  }
  return map;
}
async function readStoryFile(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".docx")) return readDocx(await file.arrayBuffer());
  if (/\.(txt|md|markdown)$/.test(name) || file.type.startsWith("text/")) {
    const text = await file.text();
    return text.replace(/^\uFEFF/, "");
  }
  throw new Error(t("file_type"));
}

async function analyze(event) {
  event.preventDefault();
  const text = $("#story-text").value;
  const status = $("#analyze-status");
  if (!text.trim()) { setStatus(status, t("empty_text"), "error"); $("#story-text").focus(); return; }
  const btn = $("#analyze-btn");
  busy(btn, true);
  setStatus(status, t("analyzing"));
  try {
    const body = { text };
    if ($("#story-lang").value) body.lang = $("#story-lang").value;
    if ($("#story-engine").value) body.engine = $("#story-engine").value;
    const report = await api("/api/analyze", { method: "POST", body });
    if (text !== state.reportText) {  // a different story: it is not saved yet, and nothing is written from it
      state.storyId = null; state.story = null; $("#write-result").textContent = "";
      $("#regen-btn").hidden = true; $("#save-version-btn").hidden = true; setStatus("#write-status", "");
      if ($("#save-title").value !== state.fileTitle) $("#save-title").value = "";
      if (state.fullOpen) toggleFullReport();
    }
    state.reportText = text;
    state.report = report;
    state.storyLang = reportUi(report);
    if (state.uiChoice === "auto") applyLanguage(); else showReport(report);
    setStatus(status, t("analyzed", { n: (report.sentences || []).length }), "ok");
  } catch (e) {
    setStatus(status, t("error", { m: e.message }), "error");
  } finally {
    busy(btn, false);
  }
}

function showReport(report, { keepStatus = false } = {}) {
  const box = $("#report");
  box.textContent = "";
  box.append(h("nav", { class: "jump", "aria-label": t("jump") }, h("a", { href: "#r-arc" }, t("arc")), h("a", { href: "#r-story" }, t("story")),
    h("a", { href: "#h-save" }, t("save_title")), h("a", { href: "#h-write" }, t("write_title"))));
  box.append(renderReport(report, "r-"));
  showSafety(report.safety, report.resources);
  $("#save-card").hidden = false;
  $("#write-card").hidden = false;
  if (!$("#save-title").value) {
    const opening = (report.text || "").trim().split(/\s+/).join(report.language === "zh" ? "" : " ");
    $("#save-title").value = opening.slice(0, 24) + (opening.length > 24 ? "…" : "");
  }
  if (!keepStatus) setStatus("#save-status", "");
}

function showSafety(safety, extraResources) {
  const panel = $("#safety");
  panel.textContent = "";
  const risk = safety && safety.risk;
  if (risk !== "concern" && risk !== "urgent") { panel.hidden = true; return; }
  panel.className = `safety ${risk}`;
  const resources = [...(safety.resources || []), ...(extraResources || []), ...((state.config || {}).resources || [])];
  const evidence = (safety.evidence || []).map((ev) => (typeof ev === "string" ? ev : ev.text)).filter(Boolean);
  panel.append(h("h2", { id: "h-safety" }, t("safety_title")), h("p", {}, t(risk === "urgent" ? "safety_urgent" : "safety_concern")),
    evidence.length ? h("details", {}, h("summary", {}, t("safety_evidence")), h("ul", {}, evidence.map((x) => h("li", {}, x)))) : null,
    h("h3", {}, t("safety_resources")), resourceList(resources));
  panel.hidden = false;
  panel.setAttribute("role", risk === "urgent" ? "alert" : "region");
}
function resourceList(resources) {
  if (!resources.length) return h("p", {}, t("safety_none"));
  return h("ul", {}, resources.map((r) => {
    if (typeof r === "string") return h("li", {}, r);
    const contact = String(r.phone || r.tel || r.contact || "");
    const dialable = /^[\d+][\d\s()+-]{2,}$/.test(contact.trim());
    return h("li", {}, h("strong", {}, r.name || r.title || ""), r.region && r.region !== "*" ? ` (${r.region})` : "",
      contact ? [colon(), dialable ? h("a", { href: `tel:${contact.replace(/[^\d+]/g, "")}` }, contact) : contact] : null,
      r.hours ? ` · ${r.hours}` : "", r.note || r.description ? h("div", { class: "muted" }, r.note || r.description) : null,
      r.url ? h("div", {}, h("a", { href: r.url, rel: "noopener noreferrer", target: "_blank" }, r.url)) : null);
  }));
}

async function ensureSaved() {
  if (state.storyId) return state.storyId;
  const body = { text: state.reportText };
  const title = $("#save-title").value.trim();
  if (title) body.title = title;
  const tags = $("#save-tags").value.split(/[,，、]/).map((x) => x.trim()).filter(Boolean);
  if (tags.length) body.tags = tags;
  if ($("#save-date").value) body.written_on = $("#save-date").value;
  const story = await api("/api/stories", { method: "POST", body });
  state.storyId = story.id;
  return story.id;
}
async function saveStory(event) {
  event.preventDefault();
  const btn = $("#save-story-btn");
  busy(btn, true);
  setStatus("#save-status", t("saving"));
  try {
    if (state.storyId) {
      const tags = $("#save-tags").value.split(/[,，、]/).map((x) => x.trim()).filter(Boolean);
      await api(`/api/stories/${encodeURIComponent(state.storyId)}`, { method: "PATCH",
        body: { title: $("#save-title").value.trim(), tags, written_on: $("#save-date").value || null } });
      setStatus("#save-status", t("updated"), "ok");
    } else {
      await ensureSaved();
      setStatus("#save-status", t("saved"), "ok");
    }
  } catch (e) {
    setStatus("#save-status", t("error", { m: e.message }), "error");
  } finally { busy(btn, false); }
}
async function toggleFullReport() {
  const frame = $("#full-report"), btn = $("#full-report-btn");
  if (state.fullOpen) { frame.hidden = true; state.fullOpen = false; btn.textContent = t("full_report"); return; }
  busy(btn, true);
  try {
    const body = { text: state.reportText };
    if ($("#story-lang").value) body.lang = $("#story-lang").value;
    const page = await api("/api/analyze?format=html", { method: "POST", body, accept: "text/html" });
    frame.setAttribute("sandbox", "allow-scripts");
    frame.srcdoc = typeof page === "string" ? page : JSON.stringify(page);
    frame.hidden = false;
    state.fullOpen = true;
    btn.textContent = t("hide_report");
  } catch (e) {
    setStatus("#save-status", t("error", { m: e.message }), "error");
  } finally { busy(btn, false); }
}

// -- studio: write a new story ---------------------------------------------------------------------

function writeBody(seed) {
  const body = { text: state.reportText, pov: $("#w-pov").value, style: $("#w-style").value, length: $("#w-length").value,
    backend: $("#w-backend").value, candidates: Math.min(Math.max(parseInt($("#w-n").value, 10) || 4, 1), 8), seed,
    close: $("#w-close").checked };
  const feel = $("#w-feel").value.trim();
  const target = feel || $("#w-target").value;
  if (target) body.target = target;
  if ($("#story-lang").value) body.lang = $("#story-lang").value;
  return body;
}
async function write(seed) {
  const btn = $("#write-btn"), regen = $("#regen-btn");
  const status = $("#write-status");
  if (!state.reportText.trim()) { setStatus(status, t("empty_text"), "error"); return; }
  state.seed = seed;
  const body = writeBody(seed);
  busy(btn, true); busy(regen, true);
  setStatus(status, t("writing", { n: body.candidates }));
  try {
    const story = await api("/api/write", { method: "POST", body });
    state.story = story;
    state.storyVersionSaved = false;
    showStory(story);
    setStatus(status, story.status === "support" ? t("support_title") : t("written", { n: (story.candidates || []).length || 1 }), "ok");
    regen.hidden = false;
    $("#save-version-btn").hidden = story.status === "support";
  } catch (e) {
    setStatus(status, t("error", { m: e.message }), "error");
  } finally { busy(btn, false); busy(regen, false); }
}
function scoreCell(v) { return h("td", { class: "num" }, num(v) === null ? "—" : v.toFixed(3)); }
function showStory(story) {
  const box = $("#write-result");
  box.textContent = "";
  if (story.status === "support") {
    box.append(h("div", { class: "safety urgent", role: "region", "aria-labelledby": "h-support" }, h("h3", { id: "h-support" }, t("support_title")),
      h("p", { class: "story-text" }, story.text || ""), h("h3", {}, t("safety_resources")), resourceList(story.resources || [])));
    return;
  }
  const target = story.target || {};
  const targetText = target.label || (target.emotion ? emotionName(target.emotion) : "");
  const orig = story.original || state.report || {};
  box.append(
    h("h3", { id: "new-title" }, story.title || t("new_story")),
    targetText ? h("p", { class: "muted" }, t("target_is", { t: targetText }), ` · ${povName(story.pov)} · ${story.backend || ""}`) : null,
    h("div", { class: "compare", id: "compare" },
      h("div", { class: "story-box" }, h("h3", {}, t("original")), h("p", { class: "story-text", id: "original-text" }, orig.text || state.reportText)),
      h("div", { class: "story-box" }, h("h3", {}, t("new_story")), h("p", { class: "story-text", id: "new-story-text", lang: story.language === "en" ? "en" : null }, story.text || ""))),
  );
  const cands = story.candidates || [];
  if (cands.length) {
    const rows = cands.map((c, i) => {
      const sc = c.score || {};
      return h("tr", { class: c.chosen ? "chosen" : null }, h("td", {}, String(i + 1), c.chosen ? [" ", h("strong", {}, `✓ ${t("chosen")}`)] : null),
        scoreCell(sc.total), scoreCell(sc.emotion), scoreCell(sc.valence), scoreCell(sc.elements), scoreCell(sc.content),
        h("td", {}, emotionName(c.dominant_emotion || sc.dominant || "")),
        h("td", {}, h("details", {}, h("summary", {}, t("c_read")), h("p", { class: "story-text" }, c.text || ""),
          sc.lost && sc.lost.length ? h("p", { class: "muted" }, `${t("c_elements")}${colon()}${sc.lost.join(zhUI() ? "、" : ", ")}`) : null)));
    });
    box.append(h("h3", {}, t("candidates")), h("p", { class: "help" }, t("candidates_help")),
      h("div", { class: "table-wrap" }, h("table", { id: "candidates" },
        h("thead", {}, h("tr", {}, ["c_rank", "c_total", "c_emotion", "c_valence", "c_elements", "c_content", "c_dominant", "c_text"]
          .map((k) => h("th", { scope: "col", class: ["c_rank", "c_dominant", "c_text"].includes(k) ? null : "num" }, t(k))))),
        h("tbody", {}, rows))));
  }
  if (story.report) {
    box.append(h("h3", {}, t("analyses")), h("div", { class: "compare", id: "compare-analyses" },
      h("div", {}, h("h4", {}, t("original")), renderReport(orig, "o-", { compact: true })),
      h("div", {}, h("h4", {}, t("new_story")), renderReport(story.report, "n-", { compact: true }))));
  }
  if ((story.notes || []).length) box.append(h("h3", {}, t("notes")), h("ul", {}, story.notes.map((n) => h("li", {}, n))));
}
async function saveVersion() {
  const btn = $("#save-version-btn"), status = $("#write-status");
  if (!state.story) return;
  busy(btn, true);
  setStatus(status, t("saving"));
  try {
    const id = await ensureSaved();
    await api(`/api/stories/${encodeURIComponent(id)}/versions`, { method: "POST", body: { story: state.story } });
    setStatus(status, t("version_saved"), "ok");
  } catch (e) {
    setStatus(status, t("error", { m: e.message }), "error");
  } finally { busy(btn, false); }
}

// -- library ---------------------------------------------------------------------------------------

async function loadLibrary(event) {
  if (event) event.preventDefault();
  const list = $("#lib-list"), status = $("#lib-status");
  const q = $("#lib-q").value.trim(), tag = $("#lib-tag").value.trim();
  const params = new URLSearchParams({ limit: "100" });
  if (q) params.set("q", q);
  if (tag) params.set("tag", tag);
  try {
    const data = await api(`/api/stories?${params}`);
    const items = data.items || [];
    list.textContent = "";
    setStatus(status, items.length ? t("lib_count", { n: data.total ?? items.length }) : t("lib_empty"));
    for (const st of items) {
      const meta = [st.written_on ? t("written_on", { d: st.written_on }) : st.created_at ? t("created", { d: String(st.created_at).slice(0, 10) }) : "",
        st.dominant_emotion ? emotionName(st.dominant_emotion) : "", st.polarity ? polarityName(st.polarity) : "",
        num(st.valence) !== null ? `${t("valence")} ${fmt1(st.valence)}` : ""].filter(Boolean).join(" · ");
      list.append(h("li", { class: "lib-item", "data-id": st.id },
        h("span", { class: "title" }, h("a", { href: `#/library/${encodeURIComponent(st.id)}` }, st.title || (st.text || "").slice(0, 24))),
        h("span", { class: "meta" }, meta),
        (st.tags || []).length ? h("ul", { class: "chips small" }, st.tags.map((x) => h("li", { class: "chip" }, x))) : null));
    }
  } catch (e) {
    setStatus(status, t("error", { m: e.message }), "error");
  }
}
async function openLibraryStory(id) {
  const box = $("#lib-detail");
  try {
    const [story, versions] = await Promise.all([api(`/api/stories/${encodeURIComponent(id)}`),
      api(`/api/stories/${encodeURIComponent(id)}/versions`).catch(() => [])]);
    state.libDetail = { story, versions: Array.isArray(versions) ? versions : versions.items || [] };
    showLibraryDetail(state.libDetail.story, state.libDetail.versions);
    const heading = $("#h-lib-detail");
    if (heading) heading.focus();
  } catch (e) {
    box.textContent = "";
    box.append(h("p", { class: "status error", role: "alert" }, t("error", { m: e.message })));
  }
}
function showLibraryDetail(story, versions) {
  const box = $("#lib-detail");
  box.textContent = "";
  const tagsInput = h("input", { id: "detail-tags", type: "text", value: (story.tags || []).join(", ") });
  const status = h("p", { class: "status", id: "detail-status", role: "status", "aria-live": "polite" });
  const detail = h("section", { class: "card", id: "lib-story", "aria-labelledby": "h-lib-detail", "data-id": story.id },
    h("h2", { id: "h-lib-detail", tabindex: "-1" }, story.title || ""),
    h("p", { class: "muted" }, [story.written_on ? t("written_on", { d: story.written_on }) : "", story.created_at ? t("created", { d: String(story.created_at).slice(0, 10) }) : ""].filter(Boolean).join(" · ")),
    h("form", { class: "row", onsubmit: async (e) => {
      e.preventDefault();
      try {
        const tags = tagsInput.value.split(/[,，、]/).map((x) => x.trim()).filter(Boolean);
        const updated = await api(`/api/stories/${encodeURIComponent(story.id)}`, { method: "PATCH", body: { tags } });
        story.tags = updated.tags || tags;
        setStatus(status, t("updated"), "ok");
        loadLibrary();
      } catch (err) { setStatus(status, t("error", { m: err.message }), "error"); }
    } }, h("div", { class: "field" }, h("label", { for: "detail-tags" }, t("tags_label")), tagsInput),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("save_tags")))),
    h("div", { class: "actions" },
      h("button", { type: "button", id: "open-in-studio", onclick: () => {
        $("#story-text").value = story.text || "";
        state.reportText = story.text || "";
        state.storyId = story.id;
        state.story = null;
        $("#write-result").textContent = "";
        $("#save-title").value = story.title || "";
        $("#save-tags").value = (story.tags || []).join(", ");
        $("#save-date").value = story.written_on || "";
        if (story.analysis) { state.report = story.analysis; state.storyLang = reportUi(story.analysis); }
        location.hash = "#/studio";
        if (state.report && state.uiChoice === "auto") applyLanguage(); else if (state.report) showReport(state.report);
      } }, t("open_in_studio")),
      h("button", { type: "button", class: "danger", id: "delete-story", onclick: async () => {
        if (!window.confirm(t("confirm_delete", { t: story.title || "" }))) return;
        try {
          await api(`/api/stories/${encodeURIComponent(story.id)}`, { method: "DELETE" });
          if (state.storyId === story.id) state.storyId = null;
          state.libDetail = null;
          box.textContent = "";
          await loadLibrary();
          setStatus("#lib-status", t("deleted"), "ok");
          $("#lib-q").focus();
        } catch (err) { setStatus(status, t("error", { m: err.message }), "error"); }
      } }, t("delete"))),
    status,
    h("h3", {}, t("story")), h("p", { class: "story-text" }, story.text || ""),
    h("h3", {}, t("versions")),
    versions.length ? h("ul", { class: "versions", id: "version-list" }, versions.map((v) => h("li", { "data-id": v.id },
      h("strong", {}, v.title || (v.story && v.story.title) || ""), " ",
      h("span", { class: "muted" }, [String(v.created_at || "").slice(0, 16).replace("T", " "),
        v.target && (v.target.label || v.target.emotion) ? t("target_is", { t: v.target.label || emotionName(v.target.emotion) }) : "", v.backend || ""].filter(Boolean).join(" · ")),
      h("p", { class: "story-text" }, v.text || (v.story && v.story.text) || ""),
      h("button", { type: "button", class: "danger", onclick: async () => {
        try {
          await api(`/api/versions/${encodeURIComponent(v.id)}`, { method: "DELETE" });
          openLibraryStory(story.id);
        } catch (err) { setStatus(status, t("error", { m: err.message }), "error"); }
      } }, t("delete_version"))))) : h("p", { class: "muted" }, t("no_versions")));
  box.append(detail);
  if (story.analysis) box.append(h("h3", { class: "sr-only" }, t("analysis")), renderReport(story.analysis, "l-", { compact: true }));
}

// -- timeline --------------------------------------------------------------------------------------

async function loadTimeline() {
  const chart = $("#tl-chart"), list = $("#tl-list"), status = $("#tl-status");
  chart.textContent = ""; list.textContent = "";
  try {
    const raw = await api("/api/timeline");
    const items = (Array.isArray(raw) ? raw : raw.items || []).filter((x) => num(x.valence) !== null)
      .map((x) => ({ ...x, written_on: x.written_on || String(x.created_at || "").slice(0, 10) }));
    if (!items.length) { setStatus(status, t("tl_empty")); return; }
    setStatus(status, "");
    const W = 720, H = 280, left = 40, right = 16, top = 14, bottom = 56, pw = W - left - right, ph = H - top - bottom, inset = 16;
    const n = items.length;
    const xAt = (i) => (n <= 1 ? left + pw / 2 : left + inset + ((pw - 2 * inset) * i) / (n - 1));
    const yAt = (v) => top + (ph * (9 - Math.min(Math.max(v, 1), 9))) / 8;
    const first = items[0].written_on || "", last = items[n - 1].written_on || "";
    const svg = s("svg", { class: "chart timeline", viewBox: `0 0 ${W} ${H}`, role: "group", "aria-labelledby": "tl-title tl-desc" },
      s("title", { id: "tl-title" }, t("nav_timeline")), s("desc", { id: "tl-desc" }, t("tl_aria", { n, a: first, b: last })),
      s("rect", { x: left, y: top, width: pw, height: ph / 2, fill: "rgba(244,162,40,0.07)" }),
      s("rect", { x: left, y: top + ph / 2, width: pw, height: ph / 2, fill: "rgba(70,130,220,0.07)" }));
    for (const g of [1, 3, 5, 7, 9]) svg.append(s("line", { class: g === 5 ? "grid mid" : "grid", x1: left, x2: W - right, y1: f1(yAt(g)), y2: f1(yAt(g)) }),
      s("text", { class: "tick", x: left - 8, y: f1(yAt(g) + 4), "text-anchor": "end" }, g));
    const step = Math.max(1, Math.ceil(n / 6));
    for (let i = 0; i < n; i += step) svg.append(s("text", { class: "tick", x: f1(xAt(i)), y: H - bottom + 20, "text-anchor": "middle" }, (items[i].written_on || "").slice(0, 10)));
    svg.append(s("text", { class: "axis", x: left + pw / 2, y: H - 8, "text-anchor": "middle" }, t("date")));
    if (n > 1) svg.append(s("path", { class: "line", d: "M" + items.map((x, i) => `${f1(xAt(i))},${f1(yAt(x.valence))}`).join(" L") }));
    const g = s("g", { class: "points" });
    items.forEach((x, i) => {
      const tip = `${x.written_on || ""} · ${x.title || ""}\n${t("valence")} ${fmt1(x.valence)} · ${emotionName(x.dominant_emotion || "")}`;
      const link = s("a", { href: `#/library/${encodeURIComponent(x.story_id)}`, "aria-label": tip.replace("\n", " · ") },
        s("circle", { class: "pt", cx: f1(xAt(i)), cy: f1(yAt(x.valence)), r: 7, fill: emotionColor(x.dominant_emotion) }, s("title", {}, tip)));
      g.append(link);
      list.append(h("li", {}, h("a", { href: `#/library/${encodeURIComponent(x.story_id)}` }, `${x.written_on || ""} — ${x.title || ""}`),
        h("span", { class: "muted" }, ` · ${emotionName(x.dominant_emotion || "")} · ${t("valence")} ${fmt1(x.valence)}`)));
    });
    svg.append(g);
    const seen = [...new Set(items.map((x) => x.dominant_emotion).filter(Boolean))];
    chart.append(h("figure", { class: "fig" }, svg, h("ul", { class: "legend" }, seen.map((e) => h("li", {}, h("span", { class: "dot", style: { background: emotionColor(e) } }), emotionName(e))))));
  } catch (e) {
    setStatus(status, t("error", { m: e.message }), "error");
  }
}

// -- classroom batch -------------------------------------------------------------------------------

const BATCH_COLS = [["id", "col_id"], ["polarity", "col_polarity"], ["intensity", "col_intensity", true], ["dominant_emotion", "col_dominant"],
  ["arc", "col_arc"], ["pov", "col_pov"], ["length", "col_length", true], ["readability", "col_readability", true], ["themes", "col_themes"]];

async function uploadBatch(event) {
  event.preventDefault();
  const file = $("#batch-file").files[0];
  const btn = $("#batch-btn"), status = $("#batch-status");
  if (!file) return;
  busy(btn, true);
  setStatus(status, t("batch_uploading"));
  $("#batch-report").textContent = "";
  try {
    const form = new FormData();
    form.append("file", file, file.name);
    const batch = await api("/api/batches", { method: "POST", form });
    state.batch = { rows: [], ...batch };
    state.essays = await essayTexts(file).catch(() => new Map());
    $("#batch-progress").hidden = false;
    $("#batch-csv").hidden = true;
    await pollBatch(batch.id);
  } catch (e) {
    setStatus(status, t("error", { m: e.message }), "error");
  } finally { busy(btn, false); }
}
async function pollBatch(id) {
  const bar = $("#batch-bar"), label = $("#batch-bar-label"), status = $("#batch-status");
  for (;;) {
    const b = await api(`/api/batches/${encodeURIComponent(id)}`);
    state.batch = b;
    const total = b.total || 0, done = b.done || 0;
    bar.max = Math.max(total, 1);
    bar.value = done;
    label.textContent = t("batch_progress", { done, total });
    renderBatchTable();
    if (b.status === "done" || b.status === "failed" || b.status === "error" || (total && done >= total && b.status !== "running" && b.status !== "queued")) {
      setStatus(status, b.status === "done" ? t("batch_done", { n: total }) : t("error", { m: b.error && b.error.message || b.status }), b.status === "done" ? "ok" : "error");
      const link = $("#batch-csv");
      link.href = `/api/batches/${encodeURIComponent(id)}/csv`;
      link.hidden = false;
      return;
    }
    await new Promise((r) => setTimeout(r, 600));
  }
}
function cellText(row, k) {
  const v = row[k];
  if (v === null || v === undefined) return "—";
  if (k === "polarity") return polarityName(v);
  if (k === "dominant_emotion") return emotionName(v);
  if (k === "arc") return arcName(v);
  if (k === "pov") return povName(v);
  if (k === "themes") return (Array.isArray(v) ? v : String(v).split(/[;|]/)).map((x) => themeName(typeof x === "string" ? x.trim() : x.name)).join(zhUI() ? "、" : ", ");
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}
function renderBatchTable() {
  const box = $("#batch-table");
  const b = state.batch;
  if (!b) return;
  const rows = [...(b.rows || [])];
  const { key: sk, dir } = state.batchSort;
  if (sk) {
    rows.sort((x, y) => {
      let a = x[sk], c = y[sk];
      if (Array.isArray(a)) a = a.join(","); if (Array.isArray(c)) c = c.join(",");
      if (a === null || a === undefined) return 1;
      if (c === null || c === undefined) return -1;
      return (typeof a === "number" && typeof c === "number" ? a - c : String(a).localeCompare(String(c), undefined, { numeric: true })) * dir;
    });
  }
  const head = h("tr", {}, BATCH_COLS.map(([k, label, numeric]) => h("th", { scope: "col", class: numeric ? "num" : null,
    "aria-sort": sk === k ? (dir > 0 ? "ascending" : "descending") : "none" },
  h("button", { type: "button", class: "sort", "data-key": k, "aria-label": t("sort_by", { c: t(label) }), onclick: () => {
    state.batchSort = { key: k, dir: state.batchSort.key === k ? -state.batchSort.dir : 1 };
    renderBatchTable();
    const again = box.querySelector(`button.sort[data-key="${k}"]`);
    if (again) again.focus();
  } }, t(label)))), h("th", { scope: "col" }, t("col_report")));
  const body = rows.map((row) => row.error
    ? h("tr", {}, h("td", {}, String(row.id ?? "")), h("td", { colspan: BATCH_COLS.length }, t("row_error", { m: row.error.message || row.error })))
    : h("tr", {}, BATCH_COLS.map(([k, , numeric]) => h("td", { class: numeric ? "num" : null }, cellText(row, k))),
      h("td", {}, h("button", { type: "button", class: "link", onclick: () => showBatchReport(row) }, t("report_btn")))));
  box.textContent = "";
  box.append(h("table", { id: "batch-results" }, h("thead", {}, head), h("tbody", {}, body)));
}
async function showBatchReport(row) {
  const box = $("#batch-report");
  box.textContent = "";
  let report = row.report || row.analysis;
  try {
    const text = row.text || (state.essays && state.essays.get(String(row.id)));
    if (!report && text) report = await api("/api/analyze", { method: "POST", body: { text } });
    if (!report && state.batch && row.id !== undefined) {
      report = await api(`/api/batches/${encodeURIComponent(state.batch.id)}/rows/${encodeURIComponent(row.id)}`).then((r) => r.report || r).catch(() => null);
    }
  } catch (e) { box.append(h("p", { class: "status error" }, t("error", { m: e.message }))); return; }
  if (!report || !report.sentences) { box.append(h("p", { class: "status error" }, t("no_row_report"))); return; }
  box.append(h("h2", { id: "h-essay", tabindex: "-1" }, t("essay_report", { id: row.id })), renderReport(report, "b-"));
  $("#h-essay").focus();
}

// -- sign in (accounts mode) -----------------------------------------------------------------------

function showSignin() {
  for (const el of document.querySelectorAll("[data-view-panel]")) el.hidden = true;
  $("#view-signin").hidden = false;
  $("#si-user").focus();
}
async function signin(path) {
  const status = $("#signin-status");
  try {
    const user = await api(path, { method: "POST", body: { username: $("#si-user").value, password: $("#si-pass").value } });
    state.csrf = (user && user.csrf_token) || null;
    if (!state.csrf) await loadMe();
    $("#view-signin").hidden = true;
    $("#signout-btn").hidden = false;
    route();
  } catch (e) { setStatus(status, t("error", { m: e.message }), "error"); }
}
async function loadMe() {
  const me = await api("/api/me").catch(() => null);
  if (me) state.csrf = me.csrf_token || me.csrf || (me.user && me.user.csrf_token) || null;
  return me;
}

// -- routing and start-up --------------------------------------------------------------------------

function route() {
  if (!$("#view-signin").hidden) return;
  if (location.hash && !location.hash.startsWith("#/") && state.routed) return;  // an in-page link (#main, #r-arc)
  state.routed = true;
  const hash = location.hash.startsWith("#/") ? location.hash.slice(2) : "";
  const [view, arg] = hash.split("/");
  const name = ["studio", "library", "timeline", "batch"].includes(view) ? view : "studio";
  for (const el of document.querySelectorAll("[data-view-panel]")) el.hidden = el.dataset.viewPanel !== name;
  for (const a of document.querySelectorAll(".tabs a")) {
    if (a.dataset.view === name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (name === "library") { loadLibrary(); if (arg) openLibraryStory(decodeURIComponent(arg)); else { state.libDetail = null; $("#lib-detail").textContent = ""; } }
  if (name === "timeline") loadTimeline();
}

async function boot() {
  initTooltips();
  const saved = localStorage.getItem("storyloom.ui");
  if (saved && ["auto", "zh", "zh-Hant", "en"].includes(saved)) state.uiChoice = saved;
  $("#ui-lang").value = state.uiChoice;
  applyLanguage();
  $("#ui-lang").addEventListener("change", (e) => {
    state.uiChoice = e.target.value;
    localStorage.setItem("storyloom.ui", state.uiChoice);
    applyLanguage();
  });
  $("#story-form").addEventListener("submit", analyze);
  $("#story-text").addEventListener("input", () => { if (!state.report) { const l = detectLang($("#story-text").value); if (l && l !== state.storyLang) followStory(l); } });
  $("#story-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      const text = await readStoryFile(file);
      $("#story-text").value = text;
      state.fileTitle = file.name.replace(/\.[^.]+$/, "");
      $("#save-title").value = state.fileTitle;
      setStatus("#analyze-status", t("file_loaded", { name: file.name }), "ok");
      const l = detectLang(text);
      if (l) followStory(l);
    } catch (err) { setStatus("#analyze-status", t("file_bad", { msg: err.message }), "error"); }
  });
  $("#example-btn").addEventListener("click", () => {
    $("#story-text").value = EXAMPLES[base()];
    followStory(base() === "en" ? "en" : state.ui);
    $("#story-text").focus();
  });
  $("#clear-btn").addEventListener("click", () => {
    $("#story-text").value = "";
    Object.assign(state, { report: null, reportText: "", storyId: null, story: null, storyLang: null, fullOpen: false });
    for (const id of ["#report", "#write-result"]) $(id).textContent = "";
    for (const id of ["#save-card", "#write-card", "#safety", "#full-report", "#regen-btn", "#save-version-btn"]) $(id).hidden = true;
    $("#save-title").value = ""; $("#save-tags").value = ""; $("#save-date").value = "";
    setStatus("#analyze-status", "");
    applyLanguage();
    $("#story-text").focus();
  });
  $("#save-form").addEventListener("submit", saveStory);
  $("#full-report-btn").addEventListener("click", toggleFullReport);
  $("#write-form").addEventListener("submit", (e) => { e.preventDefault(); write(state.seed); });
  $("#regen-btn").addEventListener("click", () => write(state.seed + 1));
  $("#save-version-btn").addEventListener("click", saveVersion);
  $("#lib-search").addEventListener("submit", loadLibrary);
  $("#batch-form").addEventListener("submit", uploadBatch);
  $("#signin-form").addEventListener("submit", (e) => { e.preventDefault(); signin("/api/auth/login"); });
  $("#si-register").addEventListener("click", () => signin("/api/auth/register"));
  $("#signout-btn").addEventListener("click", async () => {
    await api("/api/auth/logout", { method: "POST" }).catch(() => null);
    location.hash = "";
    location.reload();
  });
  window.addEventListener("hashchange", route);
  try {
    state.config = await api("/api/config");
    const backends = (state.config.backends || ["builtin"]).map((b) => (typeof b === "string" ? b : b.name));
    const sel = $("#w-backend");
    sel.textContent = "";
    for (const b of backends) sel.append(h("option", { value: b }, b));
    if (state.config.mode === "accounts") {
      const user = state.config.user;
      if (!user) { showSignin(); document.body.dataset.ready = "true"; return; }
      state.csrf = user.csrf_token || null;
      $("#signout-btn").hidden = false;
    }
  } catch (e) {
    setStatus("#analyze-status", t("error", { m: e.message }), "error");
  }
  route();
  document.body.dataset.ready = "true";
}

// Simplified → Traditional (Taiwan) for the characters of the interface strings above, made with
// OpenCC s2tw on the strings themselves (pairs: simplified, traditional).  Story text is never converted.
const S2T = "与與东東丢丟两兩个個丰豐为為丽麗么麼乐樂书書买買于於从從们們价價会會传傳伤傷体體关關内內册冊写寫军軍冲衝况況几幾创創删刪别別剧劇务務动動势勢区區卖賣占佔压壓厌厭发發变變叙敘台臺号號后後吗嗎听聽唤喚国國图圖圆圓垫墊声聲处處复複头頭妈媽学學实實对對导導尽儘布佈并並库庫应應开開异異强強当當录錄态態总總恶惡悦悅惊驚惧懼愤憤愿願户戶报報担擔拨撥换換据據数數无無时時显顯机機条條来來极極构構标標样樣横橫气氣没沒注註温溫游遊满滿点點热熱爱愛状狀犹猶独獨现現电電画畫着著码碼确確离離种種积積称稱稳穩签籤简簡系繫紧緊约約级級纵縱线線织織经經结結给給绪緒编編缩縮联聯脑腦脸臉见見览覽觉覺计計认認让讓记記讲講讶訝证證评評识識诉訴词詞试試话話语語说說请請读讀课課谢謝账賬货貨贴貼资資车車转轉轮輪轴軸载載辆輛边邊过過运運还還这這进進远遠连連适適选選释釋里裡铺鋪错錯键鍵长長问問间間阅閱陆陸险險随隨难難静靜页頁顺順题題颜顏风風饭飯";

boot();
