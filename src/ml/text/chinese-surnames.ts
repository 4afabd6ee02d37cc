/**
 * @module ml/text/chinese-surnames
 * Common Chinese surnames, for the name detector's Chinese shapes (我叫王小明, 李女士): a name is
 * only taken where the word after 我叫/我是 or before 先生/女士/小姐 starts with one of them, so
 * 我叫外卖 and 我是新客户 stay. Source: the "百家姓" ranking of the Ministry of Public Security's
 * household registration research centre, 《二〇一九年全国姓名报告》 (published 20 January 2020; the
 * hundred most common surnames cover 85.9% of registered residents; its news release names 王 李
 * 张 刘 陈 as the first five, 万 (91st) and 欧 (97th) as new, 常 and 汤 at 101 and 102). The list
 * below is that ranking's hundred plus 常 and 汤 as the report's tables are widely reproduced (only
 * the entries the release names were checked against it here), five more near the cut (文 康 易
 * 乔 赖), and the compound surnames most often met (欧阳, 司马, 上官, 诸葛, 东方, 皇甫, 慕容, 司徒, 尉迟, 长孙,
 * 夏侯, 令狐, 公孙, 宇文, 端木, 独孤). A surname outside it is not found by shape (a known
 * customer's name still is, from the customers table).
 */

export const CHINESE_SURNAMES: readonly string[] = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向欧常汤文康易乔赖',
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '慕容',
  '司徒',
  '尉迟',
  '长孙',
  '夏侯',
  '令狐',
  '公孙',
  '宇文',
  '端木',
  '独孤',
];
