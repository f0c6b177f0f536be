package genexport

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// person is one contact in the owner's address book. Messages, calls and recordings pick their
// other party from the same people, so the parts of an export agree with each other.
type person struct {
	family, given     string // 张, 三丰
	familyPY, givenPY string // zhang, sanfeng
	nick              string
	phones            []phone
	email             string
	org, title        string
	note              string
	birthday          string // yyyy-mm-dd or ""
	photo             bool
}

// phone is one number of a person.
type phone struct {
	kind   string // CELL, WORK or HOME, as vCard 2.1 types them
	typed  string // as typed into the phone: "138 0013 8000", "+86 138 0013 8000", "010-65521234"
	digits string // national digits: 13800138000, 01065521234
}

func (p *person) name() string { return p.family + p.given }

// ownerNumber is the phone's own number, as beifen's benchmark user registers it.
const ownerNumber = "13800138000"

func newPeople(r *rand.Rand, n int) []*person {
	people := make([]*person, n)
	for i := range people {
		people[i] = newPerson(r, i)
	}
	return people
}

func newPerson(r *rand.Rand, i int) *person {
	fam := pick(r, surnames)
	p := &person{family: fam.han, familyPY: fam.py}
	for range 1 + r.IntN(2) {
		g := pick(r, givenChars)
		p.given += g.han
		p.givenPY += g.py
	}
	p.phones = append(p.phones, phone{kind: "CELL", digits: mobileNumber(r)})
	if i%4 == 2 || r.IntN(4) == 0 {
		p.phones = append(p.phones, phone{kind: "CELL", digits: mobileNumber(r)})
	}
	if i%3 == 1 || r.IntN(3) == 0 {
		p.phones = append(p.phones, phone{kind: "WORK", digits: landlineNumber(r)})
	}
	for j := range p.phones {
		p.phones[j].typed = typedNumber(r, p.phones[j].digits)
	}
	decoratePerson(r, p, i)
	return p
}

// decoratePerson fills the optional fields. Index-based choices make sure that even three cards
// have every field.
func decoratePerson(r *rand.Rand, p *person, i int) {
	if i%3 == 0 || r.IntN(3) == 0 {
		p.email = fmt.Sprintf("%s.%s%d@%s", p.givenPY, p.familyPY, r.IntN(100), pick(r, mailDomains))
	}
	if i%4 == 1 || r.IntN(3) == 0 {
		p.org, p.title = pick(r, companies), pick(r, titles)
	}
	if i%5 == 2 || r.IntN(8) == 0 {
		date := fmt.Sprintf("%d-%02d-%02d", 2020+r.IntN(6), 1+r.IntN(12), 1+r.IntN(28))
		p.note = strings.ReplaceAll(pick(r, notes), "{date}", date)
	}
	if i%6 == 0 || r.IntN(5) == 0 {
		p.nick = nickname(r, p)
	}
	if i%10 == 1 || r.IntN(10) == 0 {
		p.photo = true
	}
	if i%7 == 2 || r.IntN(12) == 0 {
		p.birthday = fmt.Sprintf("%d-%02d-%02d", 1960+r.IntN(45), 1+r.IntN(12), 1+r.IntN(28))
	}
}

func nickname(r *rand.Rand, p *person) string {
	given := []rune(p.given)
	last := string(given[len(given)-1])
	switch r.IntN(4) {
	case 0:
		return "小" + last
	case 1:
		return "老" + p.family
	case 2:
		return p.family + "总"
	default:
		return p.family + "哥"
	}
}

// pickPerson prefers the first people of the book, as real traffic goes to a few frequent contacts.
func pickPerson(r *rand.Rand, people []*person) *person {
	return people[int(float64(len(people))*math.Pow(r.Float64(), 3))]
}

var mobilePrefixes = strings.Fields("130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 " +
	"166 176 177 180 181 182 183 185 186 187 188 189 191 198 199")

var areaCodes = strings.Fields("010 021 020 0755 028 027 0571 025 023 0512 029 0532")

func mobileNumber(r *rand.Rand) string {
	return pick(r, mobilePrefixes) + digits(r, 8)
}

func landlineNumber(r *rand.Rand) string {
	return pick(r, areaCodes) + digits(r, 8)
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// typedNumber writes a number the ways people type them into a phone.
func typedNumber(r *rand.Rand, d string) string {
	if d[0] == '0' {
		cut := 3
		if d[1] != '1' && d[1] != '2' {
			cut = 4
		}
		return d[:cut] + "-" + d[cut:]
	}
	switch r.IntN(20) {
	case 0, 1, 2, 3, 4:
		return "+86 " + d[:3] + " " + d[3:7] + " " + d[7:]
	case 5, 6, 7, 8:
		return d[:3] + " " + d[3:7] + " " + d[7:]
	case 9, 10, 11:
		return "+86" + d
	default:
		return d
	}
}

// e164 is how the network shows a sender: +86 and the mobile digits; landlines and short codes as is.
func e164(d string) string {
	if len(d) == 11 && d[0] == '1' {
		return "+86" + d
	}
	return d
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// hanzi is one Chinese character or surname with its pinyin.
type hanzi struct{ han, py string }

// pairs splits "王wang 李li" into {王 wang} {李 li}.
func pairs(s string) []hanzi {
	var out []hanzi
	for _, f := range strings.Fields(s) {
		i := strings.IndexFunc(f, func(r rune) bool { return r < 0x80 })
		out = append(out, hanzi{f[:i], f[i:]})
	}
	return out
}

var surnames = pairs("王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun " +
	"马ma 朱zhu 胡hu 郭guo 何he 高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han " +
	"冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du " +
	"叶ye 程cheng 苏su 魏wei 吕lv 丁ding 任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu " +
	"汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang 白bai 邹zou 孟meng 熊xiong 秦qin " +
	"邱qiu 江jiang 尹yin 薛xue 闫yan 段duan 雷lei 侯hou 龙long 史shi 陶tao 黎li 贺he 顾gu 毛mao " +
	"郝hao 龚gong 邵shao 万wan 钱qian 严yan 覃qin 武wu 戴dai 莫mo 孔kong 向xiang 汤tang " +
	"欧阳ouyang 司马sima 诸葛zhuge 上官shangguan")

var givenChars = pairs("伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong 艳yan " +
	"杰jie 娟juan 涛tao 明ming 超chao 秀xiu 霞xia 平ping 刚gang 桂gui 英ying 华hua 建jian 国guo " +
	"文wen 红hong 玉yu 兰lan 志zhi 梅mei 海hai 辉hui 鹏peng 飞fei 宇yu 浩hao 鑫xin 婷ting 雪xue " +
	"琳lin 晨chen 欣xin 怡yi 子zi 涵han 轩xuan 博bo 佳jia 雨yu 思si 梓zi 晓xiao 嘉jia 俊jun 斌bin " +
	"凯kai 慧hui 春chun 燕yan 丹dan 峰feng 波bo 亮liang 成cheng 东dong 立li 新xin 婉wan 清qing " +
	"颖ying 琪qi 悦yue 萱xuan 彤tong 瑶yao 然ran 诗shi 一yi 安an 宁ning 乐le 泽ze 睿rui 航hang " +
	"铭ming 天tian 德de 振zhen 永yong 荣rong 少shao 晴qing 倩qian 蕾lei 璐lu")

var mailDomains = strings.Fields("qq.com 163.com 126.com sina.com gmail.com foxmail.com outlook.com " +
	"139.com aliyun.com example.com.cn")

var companies = strings.Fields("中国移动通信集团北京有限公司 华为技术有限公司 阿里巴巴（中国）有限公司 " +
	"深圳市腾讯计算机系统有限公司 北京字节跳动科技有限公司 中国工商银行股份有限公司上海分行 " +
	"中国平安人寿保险股份有限公司 顺丰速运有限公司 美的集团股份有限公司 小米科技有限责任公司 " +
	"比亚迪股份有限公司 京东物流 北京协和医院 清华大学 杭州海康威视数字技术股份有限公司 " +
	"上海浦东发展银行 万科企业股份有限公司 链家 星巴克 个体经营")

var titles = strings.Fields("销售经理 客户经理 总经理 高级工程师 财务主管 采购 人事专员 店长 区域总监 " +
	"副总裁 项目经理 会计 医生 老师 司机 律师 设计师 实习生")

// notes are multi-line contact notes; {date} becomes a date.
var notes = []string{
	"客户来源：展会\n意向：高\n上次联系：{date} 电话沟通，报价已发",
	"老家邻居\n生日前记得打电话",
	"装修师傅，水电做得不错。\n首付已结清，尾款{date}前付",
	"快递柜密码别忘了\n单位地址：科技园南区A座1203",
	"孩子的班主任\n家长会：每学期期中后第一个周五",
	"保险到期日 {date}\n车牌 京A·12345\n续保找他",
	"房东。押一付三，每月5号交租\n水电燃气自理",
}
