# ruff: noqa: E501  (the seed's sentences and their English labels are data, kept on one line each)
"""Article 1 of the seed (展厅销售流程及管理 篇1): the showroom audit's eight sections and their items,
kept once and shared by the test-drive, delivery and audit checklists."""

ARTICLE_1_SECTIONS = {
    1: ("一、基盘客户开发", "1. Base customer development"),
    2: ("二、进店接待", "2. Welcoming visitors"),
    3: ("三、需求分析及产品介绍", "3. Needs analysis and product presentation"),
    4: ("四、试乘试驾", "4. Test drive"),
    5: ("五、报价咨询及成交条件确认", "5. Quotation and terms of sale"),
    6: ("六、潜在客户跟踪", "6. Prospect follow-up"),
    7: ("七、交车过程", "7. Delivery"),
    8: ("八、售后跟踪", "8. After-sales follow-up"),
}

# 篇1, every item: (section, item) -> (seed text, English). Items 一.6/一.7 and 三.2/三.3 share one
# line in the seed and are split at the second number.
ARTICLE_1: dict[tuple[int, int], tuple[str, str]] = {
    # 一、基盘客户开发
    (1, 1): (
        "是否按照行业经验及当地市场状况,确定基盘客户的置换周期",
        "Is the trade-in cycle of base customers set from industry experience and the local market?",
    ),
    (1, 2): (
        "在选择被置换车型时是否根据原旧车车型的特点准备置换话术",
        "When choosing the model to trade in, is a trade-in script prepared from the features of the old model?",
    ),
    (1, 3): (
        "是否根据售后保养数据梳理出有效信息的客户",
        "Are customers with useful information picked out from the after-sales service data?",
    ),
    (1, 4): (
        "销售经理是否制定统一的分配原则",
        "Has the sales manager set one rule for allocating customers?",
    ),
    (1, 5): (
        "展厅经理是否检查销售顾问创建客户意向数是否和分配客户意向数一致",
        "Does the showroom manager check that the prospects a consultant created match those allocated to him?",
    ),
    (1, 6): (
        "是否在跟踪时明确客户已经换购其他品牌",
        "During follow-up, is it made clear whether the customer has already bought another brand?",
    ),
    (1, 7): (
        "如果客户已经换购其他品牌,是否将其列为战败意向,在DSM 中录入战败车型及原因",
        "If the customer has bought another brand, is the prospect marked lost, with the model bought and the reason entered in DSM?",
    ),
    (1, 8): (
        "根据设计的置换活动方案,是否对有意向的客户主动邀约其到店看车并约定日期,然后录入到DSM 系统,以便提醒跟踪",
        "Following the planned trade-in campaign, are interested customers invited to see cars on an agreed date, entered in DSM as a follow-up reminder?",
    ),
    # 二、进店接待
    (2, 1): (
        "是否按值班顺序站在展厅门口接待客户",
        "Do consultants stand at the showroom door to receive customers in duty order?",
    ),
    (2, 2): (
        "是否在客户进展厅第一时间(5步之内)用标准话术问候客户",
        "Is the customer greeted with the standard words as soon as he enters (within 5 steps)?",
    ),
    (2, 3): (
        "是否与客户距离应注意保持1.5-2米",
        "Is a distance of 1.5–2 metres kept from the customer?",
    ),
    (2, 4): (
        "销售顾问随身携带名片,第一时间提供给客户,主动自我介绍并询问客户如何称呼",
        "Does the consultant carry business cards, hand one over at once, introduce himself and ask how to address the customer?",
    ),
    (2, 5): (
        "递给客户名片时动作是否合乎礼仪规范,名片正面朝向客户,如客户和销售顾问交换名片,销售顾问应双手接过名片并读出客户的姓名和职务",
        "Is the card handed over politely, face towards the customer; when exchanging cards, does the consultant take the customer's with both hands and read out the name and title?",
    ),
    (2, 6): (
        "销售顾问或销售前台是否主动询问并提供三种以上饮料供客户选择",
        "Does the consultant or the front desk offer a choice of at least three drinks?",
    ),
    (2, 7): (
        "是否携带销售手册",
        "Is the sales handbook carried?",
    ),
    (2, 8): (
        "与客户沟通时,是否时时保持目光接触",
        "Is eye contact kept throughout the conversation?",
    ),
    (2, 9): (
        "对坐着的客户,是否坐着或半蹲着与其交谈(不要站着)",
        "With a seated customer, does the consultant sit or half-crouch to talk (not stand)?",
    ),
    (2, 10): (
        "是否专心接待客户。如需接听电话是否征得客户同意并尽可能快地结束通话",
        "Is the customer given full attention; before taking a call, is his consent asked and the call kept short?",
    ),
    (2, 11): (
        "在接待基盘客户时是否主动询问客户买车后的使用情况,并突出别克关怀",
        "With a base customer, is he asked how the car has served since he bought it, stressing Buick Care?",
    ),
    (2, 12): (
        "是否努力兑现对客户的承诺",
        "Are promises to the customer kept?",
    ),
    (2, 13): (
        "如客户要离店,是否送到展厅门外",
        "When the customer leaves, is he seen out of the showroom door?",
    ),
    # 三、需求分析及产品介绍
    (3, 1): (
        "是否适时探寻客户购买车辆的标准和用车需求",
        "Are the customer's buying criteria and driving needs explored at the right moment?",
    ),
    (3, 2): (
        "如果是开车来的客户,是否询问客户是否有置换需求",
        "If the customer came by car, is he asked whether he wants to trade it in?",
    ),
    (3, 3): (
        "如果客户有置换时需求,是否安排二手车部门提供车辆免费评估,让客户了解别克的一站式服务",
        "If he wants a trade-in, is a free appraisal by the used-car department arranged, showing Buick's one-stop service?",
    ),
    (3, 4): (
        "是否主动积极针对客户需求介绍产品",
        "Is the product presented actively according to the customer's needs?",
    ),
    (3, 5): (
        "是否主动向客户介绍安吉星服务",
        "Is the OnStar service introduced?",
    ),
    (3, 6): (
        "是否向客户概述安吉星的独有优势(品牌价值、品牌历史、品牌文化等),及它能带给客户更多的科技便利、超强实用性等",
        "Are OnStar's unique strengths (brand value, history, culture) outlined, with the convenience and practicality it brings?",
    ),
    (3, 7): (
        "介绍产品时是否主动将产品资料(车型资料、安吉星资料)递上",
        "Are the brochures (model and OnStar) handed over during the presentation?",
    ),
    (3, 8): (
        "是否主动向客户介绍安吉星“三键”功能,突出操作简便、人性化设计等理念",
        "Are OnStar's “three buttons” introduced, stressing ease of use and human-centred design?",
    ),
    (3, 9): (
        "在介绍新车安全性时,是否主动强调安吉星集合现代整车和通讯科技带给客户的主动安全随车保护",
        "When presenting safety, is OnStar's active on-board protection, combining car and telecom technology, stressed?",
    ),
    (3, 10): (
        "是否用标准话术向客户演示安吉星2项静态功能",
        "Are two static OnStar functions demonstrated with the standard words?",
    ),
    (3, 11): (
        "是否向客户指出购买新车后,可免费享受一年的安吉星全套服务",
        "Is the customer told that a new car comes with one year of the full OnStar service free?",
    ),
    (3, 12): (
        "与竞争品牌的对比时,是否用多种形式结合包括书面资料,口头介绍,辅助性工具等进行演示",
        "In comparisons with competing brands, are several forms combined (printed material, explanation, tools)?",
    ),
    (3, 13): (
        "对于竞争品牌的对比应该是否客观公正,并始终强调自己产品的利益对于客户需求的满足程度",
        "Are comparisons with competitors objective and fair, always stressing how our product meets the customer's needs?",
    ),
    (3, 14): (
        "介绍产品时是否灵活使用六方位产品介绍法",
        "Is the six-position walk-around used flexibly?",
    ),
    (3, 15): (
        "是否能用 FBI 的销售技能结合客户的用车需求,强化产品优势",
        "Are FBI (feature–benefit–impact) selling skills used with the customer's needs to underline the product's strengths?",
    ),
    (3, 16): (
        "如展厅里没有客户要看的车型或颜色,是否引导到信息中心,利用电脑显示屏上的图片给客户介绍",
        "If the wanted model or colour is not in the showroom, is the customer taken to the information centre and shown pictures on screen?",
    ),
    (3, 17): (
        "是否能把专业的产品技术术语化解为通俗易懂的语言为客户进行讲解",
        "Are technical terms explained in plain language?",
    ),
    (3, 18): (
        "在整个介绍过程中,是否能视情况而定,适时地邀请客户入座",
        "Is the customer invited to sit down at suitable moments during the presentation?",
    ),
    (3, 19): (
        "引导客户入座时是否主动为客户拉椅子,请客户先入座,为其提供合适的饮料,然后自己在客户的右侧坐下",
        "When seating the customer, does the consultant pull out the chair, let him sit first, offer a drink, then sit on his right?",
    ),
    (3, 20): (
        "在整个介绍过程中是否随时关注并记录客户对产品的异议和抗拒,并有技巧地回答客户的问题",
        "Are the customer's objections noted throughout and answered skilfully?",
    ),
    (3, 21): (
        "最后产品介绍完后,是否主动邀请客户试乘试驾",
        "After the presentation, is the customer invited to a test drive?",
    ),
    # 四、试乘试驾
    (4, 1): (
        "是否主动向客户提供试乘试驾服务",
        "Is a test drive offered to the customer?",
    ),
    (4, 2): (
        "如不能满足要求,是否征询客户可否提供相关车型代替",
        "If the request cannot be met, is the customer asked whether a similar model would do?",
    ),
    (4, 3): (
        "提供的试乘试驾路线是否有2 条或以上路线可供客户选择",
        "Are two or more test-drive routes offered to choose from?",
    ),
    (4, 4): (
        "试乘试驾时间是否充足(至少20 分钟)",
        "Is the test drive long enough (at least 20 minutes)?",
    ),
    (4, 5): (
        "是否根据SGM 市场部提供的模板,在车辆上张贴试乘试驾标识",
        "Is the test-drive sign put on the car from the SGM marketing template?",
    ),
    (4, 6): (
        "试乘试驾前,是否将干净的试乘试驾车按标准准备好,试驾车油量至少在二分之一;放置原厂脚垫,且安吉星电源灯显示为绿色完备工作状态",
        "Before the test drive, is the clean car prepared to standard: fuel at least half a tank, original floor mats, OnStar power light green (ready)?",
    ),
    (4, 7): (
        "试驾前是否让客户出示驾照并复印留档,同时签订试驾协议书",
        "Before driving, does the customer show his driving licence (copied for the file) and sign the test-drive agreement?",
    ),
    (4, 8): (
        "试乘试驾前是否对客户概述整个试驾的流程、路线及时间,并询问客户试驾的重点项目",
        "Before the test drive, are the process, route and duration outlined and the customer asked what he wants to try?",
    ),
    (4, 9): (
        "起步前,是否预热发动机并调整到合适的温度,与此同时为客户讲解该车型的体验点和重点配置及相关操作",
        "Before setting off, is the engine warmed up while the car's highlights, key features and controls are explained?",
    ),
    (4, 10): (
        "在客户试乘时,是否用标准话术为客户演示安吉星全程音控领航动态功能",
        "While the customer rides as passenger, is OnStar's voice-controlled navigation demonstrated with the standard words?",
    ),
    (4, 11): (
        "在换手时,是否将发动机熄火并拔出钥匙给客户,让客户能亲自体验发动机启动时的感觉,随后从车头走到副驾驶位",
        "At the driver change, is the engine stopped and the key handed to the customer so he starts it himself, the consultant walking round the front to the passenger seat?",
    ),
    (4, 12): (
        "在客户试驾前,是否提醒并协助客户调节好方向盘、内外后视镜、座椅高度、安全带",
        "Before the customer drives, is he reminded and helped to adjust the steering wheel, mirrors, seat height and seat belt?",
    ),
    (4, 13): (
        "试乘试驾过程中,是否记录客户对试乘试驾的反馈",
        "Is the customer's feedback noted during the test drive?",
    ),
    (4, 14): (
        "试乘试驾结束后,是否请客户在反馈表上签名确认并协助客户完成意向客户调查问卷(包括安吉星的体验和建议)",
        "After the test drive, does the customer sign the feedback form, helped to complete the prospect questionnaire (including OnStar)?",
    ),
    (4, 15): (
        "试乘试驾满意度调查结束后,是否借机探寻客户成交意愿",
        "After the satisfaction survey, is the customer's readiness to buy explored?",
    ),
    (4, 16): (
        "在客户离店后,是否填写试乘试驾记录表交给销售前台",
        "After the customer leaves, is the test-drive record filled in and handed to the front desk?",
    ),
    # 五、报价咨询及成交条件确认
    (5, 1): (
        "口头报价是否快速,清晰",
        "Is the verbal quote quick and clear?",
    ),
    (5, 2): (
        "书面报价是否按统一格式的报价单提供给客户",
        "Is the written quote given on the standard quotation form?",
    ),
    (5, 3): (
        "是否告知客户提车的大致时间",
        "Is the customer told roughly when he can take delivery?",
    ),
    (5, 4): (
        "是否适时地根据客户需求向客户推荐装潢,保险等附加值销售",
        "Are accessories, insurance and other add-ons recommended to suit the customer's needs?",
    ),
    (5, 5): (
        "如客户需要咨询二手车,销售顾问是否带领客户到二手车部门和相关人员一起洽谈",
        "If the customer asks about used cars, does the consultant take him to the used-car department to talk together?",
    ),
    (5, 6): (
        "是否向客户解释相关书面文件,特别注意解释清楚容易引起分歧的地方,避免客户引起不必要的误会",
        "Are the documents explained, especially the points that could cause disagreement?",
    ),
    (5, 7): (
        "解释完书面文件是否询问客户意见,及时处理客户异议,必要时请展厅经理协助解释",
        "After explaining the documents, is the customer's opinion asked and are objections handled, with the showroom manager's help when needed?",
    ),
    (5, 8): (
        "对于一些专业性较强的书面文件比如保险,GMAC等文件的解释,是否及时寻求相关人员的帮助",
        "For specialist documents such as insurance or GMAC papers, is the right colleague's help sought in time?",
    ),
    (5, 9): (
        "是否向客户明确需要办理手续的大致时间",
        "Is the customer told roughly how long the formalities take?",
    ),
    (5, 10): (
        "是否专心处理客户商谈事宜。如有客户来访,是否请主管或展厅经理先代为接待",
        "Is the negotiation given full attention; if another customer arrives, is a supervisor or the showroom manager asked to receive him?",
    ),
    (5, 11): (
        "客户支付定金时,财务人员是否态度热情和蔼向客户解释清楚相关手续",
        "When the customer pays the deposit, does finance explain the formalities warmly and clearly?",
    ),
    # 六、潜在客户跟踪
    (6, 1): (
        "对于潜在客户的跟踪和邀约,是否严格按照DSM 系统中的提醒跟踪计划进行",
        "Are prospects followed up and invited strictly by the reminder plan in DSM?",
    ),
    (6, 2): (
        "在跟踪时是否准备好话术,做到有准备地打电话",
        "Is a script prepared before each follow-up call?",
    ),
    (6, 3): (
        "是否在当天下班前在DSM里录入或更新客户信息",
        "Is customer information entered or updated in DSM before leaving work that day?",
    ),
    (6, 4): (
        "展厅经理是否和销售顾问对H/A 级客户进行确认并指导销售顾问制定H/A 级的客户跟踪方案和话术",
        "Does the showroom manager confirm H/A-grade prospects with the consultant and guide their follow-up plan and script?",
    ),
    # 七、交车过程
    (7, 1): (
        "所交付车辆的外观及发动机舱是否干净、整洁",
        "Are the car's exterior and engine bay clean and tidy?",
    ),
    (7, 2): (
        "是否提前准备好交车所需的合同,新车销售结算单、交车检验表、以及交车的工具、光盘等",
        "Are the contract, sales settlement, delivery inspection form, tools and discs prepared in advance?",
    ),
    (7, 3): (
        "是否在交车前一日,电话告知客户到车情况并和客户约定交车时间",
        "The day before delivery, is the customer phoned about the car's arrival and a delivery time agreed?",
    ),
    (7, 4): (
        "是否在交车前一日完成车辆安吉星系统预配置,为客户在交车时体验Welcome Call创造条件",
        "The day before delivery, is the car's OnStar pre-configured so the customer can experience the Welcome Call?",
    ),
    (7, 5): (
        "交车前是否与客户确认是否要撕掉保护膜",
        "Before delivery, is the customer asked whether the protective film should be removed?",
    ),
    (7, 6): (
        "是否在展厅门口设置客户恭喜牌",
        "Is a congratulation sign for the customer set up at the showroom door?",
    ),
    (7, 7): (
        "在交车当天是否与车主确认到店时间,随时准备在展厅门口迎接客户",
        "On delivery day, is the owner's arrival time confirmed, ready to welcome him at the showroom door?",
    ),
    (7, 8): (
        "销售顾问是否引导客户入座,适当寒暄后向客户概述交车流程",
        "Does the consultant seat the customer and, after some small talk, outline the delivery process?",
    ),
    (7, 9): (
        "经销商是否提供可选车辆供挑选",
        "Does the dealer offer cars to choose from?",
    ),
    (7, 10): (
        "是否在交车时准备擦车专用布和用清洁剂,随时对有印迹的地方进行处理",
        "Are a car-cleaning cloth and cleaner ready to remove marks at any time?",
    ),
    (7, 11): (
        "是否介绍车辆的具体操作",
        "Are the car's controls explained?",
    ),
    (7, 12): (
        "是否介绍车辆使用注意事项",
        "Are the precautions for using the car explained?",
    ),
    (7, 13): (
        "是否指导客户由本人开通安吉星服务",
        "Is the customer guided to activate OnStar himself?",
    ),
    (7, 14): (
        "当客户与安吉星确认隐私资料时,销售顾问是否主动离开车辆并等客户信息确认完毕后再返回车内",
        "While the customer confirms private data with OnStar, does the consultant leave the car and return only afterwards?",
    ),
    (7, 15): (
        "是否介绍车辆的维修保养手册以及保养常识",
        "Are the maintenance manual and basic care explained?",
    ),
    (7, 16): (
        "是否介绍车辆的保险理赔规定",
        "Are the insurance claim rules explained?",
    ),
    (7, 17): (
        "是否重点提醒首次保养的服务项目和公里",
        "Are the first service's items and mileage pointed out?",
    ),
    (7, 18): (
        "是否签订交车合同并按照“交车检验表”和“交车服务验收表”与客户确认交车事项",
        "Is the delivery contract signed and the handover confirmed with the customer on the delivery inspection form and the delivery acceptance form?",
    ),
    (7, 19): (
        "是否在讲解过程中不断向客户确认有无清楚了解",
        "During the explanations, is the customer repeatedly asked whether everything is clear?",
    ),
    (7, 20): (
        "是否将所有文件根据其用途及使用频率分装在不同的交车信封里,如:放在家里的文件和放在车里的文件区分开",
        "Are the documents sorted by use into separate delivery envelopes, e.g. those kept at home apart from those kept in the car?",
    ),
    (7, 21): (
        "是否经客户同意,用胶贴将经销商的联络方式贴于驾驶室合适位置",
        "With the customer's consent, is the dealer's contact sticker put in a suitable place in the cabin?",
    ),
    (7, 22): (
        "是否经客户同意,将“安吉星车窗贴”贴于后排侧车窗内",
        "With the customer's consent, is the OnStar window sticker put inside a rear side window?",
    ),
    (7, 23): (
        "是否在专门的交车区进行交车仪式",
        "Is the delivery ceremony held in the dedicated delivery area?",
    ),
    (7, 24): (
        "是否陪同客户试开所购买的新车",
        "Does the consultant accompany the customer on a first drive of the new car?",
    ),
    (7, 25): (
        "是否邀请客户参观售后并为客户介绍一位维修部门的服务代表",
        "Is the customer invited to visit after-sales and introduced to a service adviser?",
    ),
    (7, 26): (
        "是否在交车完毕后请客户填写车主问卷调查,包含满意度和车主基本信息的调查",
        "After the handover, does the customer fill in the owner questionnaire (satisfaction and basic details)?",
    ),
    (7, 27): (
        "是否为新车加足 1/4 箱油量并明确告知客户",
        "Is the new car filled to 1/4 of a tank and the customer told so?",
    ),
    (7, 28): (
        "整个手续办理完毕后,是否送客户至展厅外",
        "When all formalities are done, is the customer seen out of the showroom?",
    ),
    (7, 29): (
        "是否指导客户完成第一次安吉星导航设置,并请客户在第一时间使用该功能前往第一个目的地",
        "Is the customer guided through his first OnStar navigation set-up and invited to use it to reach his first destination?",
    ),
    (7, 30): (
        "是否预测客户到达目的地的时间,并主动致电以确认客户安全到达",
        "Is the customer's arrival time estimated and a call made to confirm he arrived safely?",
    ),
    # 八、售后跟踪
    (8, 1): (
        "是否了解车主的车辆使用情况并及时解答车主在用车时遇到的问题",
        "Is the owner's use of the car learned and are his questions answered promptly?",
    ),
    (8, 2): (
        "是否了解安吉星的使用状况及车主的意见、反馈",
        "Are the owner's OnStar use, opinions and feedback learned?",
    ),
    (8, 3): (
        "是否记录并填写车主对安吉星服务的建议和意见",
        "Are the owner's suggestions on the OnStar service recorded?",
    ),
    (8, 4): (
        "是否耐心回答车主问题",
        "Are the owner's questions answered patiently?",
    ),
    (8, 5): (
        "如遇到不懂的问题时,是否征询相关人员后再给予回答",
        "When unsure, is the right colleague asked before answering?",
    ),
    (8, 6): (
        "是否主动提醒车主定期保养,并讲解到经销商保养的好处",
        "Is the owner reminded of regular servicing and told the benefits of servicing at the dealer?",
    ),
    (8, 7): (
        "是否邀请并鼓励车主参加车主俱乐部并告知参加的好处",
        "Is the owner invited to join the owners' club, with its benefits explained?",
    ),
    (8, 8): (
        "是否让车主介绍新客户并表示感谢",
        "Is the owner asked to refer new customers, and thanked?",
    ),
    (8, 9): (
        "跟踪完毕后是否及时在DSM系统记录回访信息",
        "After the follow-up, is the call recorded in DSM promptly?",
    ),
    (8, 10): (
        "售后跟踪方式是否用电话方式进行",
        "Is the after-sales follow-up made by phone?",
    ),
    (8, 11): (
        "售后客户跟踪的标准是否按SGM及DSM标准执行",
        "Does the after-sales follow-up meet the SGM and DSM standards?",
    ),
    (8, 12): (
        "客服部是否给车主寄送总经理手写体签名的感谢信",
        "Does customer service send the owner a thank-you letter signed by hand by the general manager?",
    ),
}
